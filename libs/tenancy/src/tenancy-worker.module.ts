import { Module } from '@nestjs/common';
import { TenantDataRepository } from './repositories/tenant-data.repository';
import { TenancyModule } from './tenancy.module';
import { PurgeTenantJob } from './worker/purge-tenant.job';
import { TenancyQueueProcessor } from './worker/tenancy-queue.processor';

@Module({
  imports: [TenancyModule],
  providers: [TenancyQueueProcessor, PurgeTenantJob, TenantDataRepository],
})
export class TenancyWorkerModule {}
