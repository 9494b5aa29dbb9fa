import { Module, type DynamicModule } from '@nestjs/common';
import { createLoggerModule, PlatformHttpModule, PlatformModule, type AppConfig } from '@switchboard/platform';
import { AiGatewayHttpModule, AiGatewayModule } from '@switchboard/ai-gateway';
import { BillingHttpModule } from '@switchboard/billing';
import { CustomersHttpModule } from '@switchboard/customers';
import { FieldServiceHttpModule } from '@switchboard/field-service';
import { IntegrationsHttpModule } from '@switchboard/integrations';
import { KnowledgeBaseHttpModule } from '@switchboard/knowledge-base';
import { ReportingHttpModule } from '@switchboard/reporting';
import { TenancyHttpModule } from '@switchboard/tenancy';
import { TicketsHttpModule } from '@switchboard/tickets';
import { PrivacyHttpModule } from './privacy/privacy-http.module';
import { RealtimeModule } from './realtime/realtime.module';
import { CONTEXTS } from '../../contexts';

/** The api: every context's HTTP module on top of the shared platform. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [PlatformModule.forRoot(config, { http: true, contexts: CONTEXTS }), createLoggerModule(config, 'api'), AiGatewayModule.forRoot(config), PlatformHttpModule, TenancyHttpModule, CustomersHttpModule, TicketsHttpModule, KnowledgeBaseHttpModule, FieldServiceHttpModule, IntegrationsHttpModule, ReportingHttpModule, PrivacyHttpModule, RealtimeModule, AiGatewayHttpModule, BillingHttpModule],
    };
  }
}
