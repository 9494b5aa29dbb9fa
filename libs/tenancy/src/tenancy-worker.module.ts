import { Module } from '@nestjs/common';
import { TenancyModule } from './tenancy.module';
import { PurgeTenantJob } from './worker/purge-tenant.job';
import { TenancyQueueProcessor } from './worker/tenancy-queue.processor';

@Module({
  imports: [TenancyModule],
  providers: [TenancyQueueProcessor, PurgeTenantJob],
})
export class TenancyWorkerModule {}
