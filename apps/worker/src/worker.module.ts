import { Module, type DynamicModule } from '@nestjs/common';
import { createLoggerModule, PlatformModule, PlatformWorkerModule, type AppConfig } from '@switchboard/platform';
import { AiGatewayModule } from '@switchboard/ai-gateway';
import { BillingWorkerModule } from '@switchboard/billing';
import { FieldServiceWorkerModule } from '@switchboard/field-service';
import { IntegrationsWorkerModule } from '@switchboard/integrations';
import { KnowledgeBaseWorkerModule } from '@switchboard/knowledge-base';
import { ReportingWorkerModule } from '@switchboard/reporting';
import { TenancyWorkerModule } from '@switchboard/tenancy';
import { TicketsWorkerModule } from '@switchboard/tickets';
import { CONTEXTS } from '../../contexts';

/** The worker: every context's worker module (processors, job handlers) on the shared platform. */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [PlatformModule.forRoot(config, { http: false, contexts: CONTEXTS }), createLoggerModule(config, 'worker'), AiGatewayModule.forRoot(config), PlatformWorkerModule, TenancyWorkerModule, TicketsWorkerModule, KnowledgeBaseWorkerModule, FieldServiceWorkerModule, IntegrationsWorkerModule, ReportingWorkerModule, BillingWorkerModule],
    };
  }
}
