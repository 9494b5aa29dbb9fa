import { Logger } from '@nestjs/common';
import { deleteInBatches, HandlesJob, TenantTransaction, type JobHandler } from '@switchboard/platform';
import { deleteExpiredRefreshTokens } from '../repositories/refresh-token-retention.sql';
import { DeleteExpiredRefreshTokens } from '../tenancy.context';

/** Nightly (schedule `tenancy.refresh-token-retention`), across tenants, in batches; a second run deletes nothing more. */
@HandlesJob(DeleteExpiredRefreshTokens)
export class DeleteExpiredRefreshTokensJob implements JobHandler<Record<string, never>> {
  private readonly logger = new Logger(DeleteExpiredRefreshTokensJob.name);

  constructor(private readonly tx: TenantTransaction) {}

  async handle(): Promise<void> {
    const deleted = await deleteInBatches(this.tx, deleteExpiredRefreshTokens);
    this.logger.log({ refreshTokens: deleted }, 'Expired refresh tokens deleted');
  }
}
