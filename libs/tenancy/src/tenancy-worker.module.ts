import { Module } from '@nestjs/common';
import { TenantDataRepository } from './repositories/tenant-data.repository';
import { TenancyModule } from './tenancy.module';
import { DeleteExpiredRefreshTokensJob } from './worker/delete-expired-refresh-tokens.job';
import { PurgeTenantJob } from './worker/purge-tenant.job';
import { TenancyQueueProcessor } from './worker/tenancy-queue.processor';

@Module({
  imports: [TenancyModule],
  providers: [TenancyQueueProcessor, PurgeTenantJob, DeleteExpiredRefreshTokensJob, TenantDataRepository],
})
export class TenancyWorkerModule {}
