import { Module, type DynamicModule } from '@nestjs/common';
import { createLoggerModule, PlatformHttpModule, PlatformModule, type AppConfig } from '@switchboard/platform';
import { CustomersHttpModule } from '@switchboard/customers';
import { TenancyHttpModule } from '@switchboard/tenancy';
import { TicketsHttpModule } from '@switchboard/tickets';
import { RealtimeModule } from './realtime/realtime.module';

/** The api: every context's HTTP module on top of the shared platform. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [PlatformModule.forRoot(config, { http: true }), createLoggerModule(config, 'api'), PlatformHttpModule, TenancyHttpModule, CustomersHttpModule, TicketsHttpModule, RealtimeModule],
    };
  }
}
