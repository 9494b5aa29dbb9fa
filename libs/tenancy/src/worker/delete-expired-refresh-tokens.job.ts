import { Logger } from '@nestjs/common';
import { deleteInBatches, HandlesJob, TenantTransaction, type JobHandler } from '@switchboard/platform';
import { deleteExpiredRefreshTokens } from '../repositories/refresh-token-retention.sql';
import { ssoRetentionStatements } from '../sso/sso-retention.sql';
import { DeleteExpiredRefreshTokens } from '../tenancy.context';

/**
 * Nightly (schedule `tenancy.refresh-token-retention`), across tenants, in batches; a second run
 * deletes nothing more. Expired single sign-on state goes the same way (ADR 0033).
 */
@HandlesJob(DeleteExpiredRefreshTokens)
export class DeleteExpiredRefreshTokensJob implements JobHandler<Record<string, never>> {
  private readonly logger = new Logger(DeleteExpiredRefreshTokensJob.name);

  constructor(private readonly tx: TenantTransaction) {}

  async handle(): Promise<void> {
    const deleted = await deleteInBatches(this.tx, deleteExpiredRefreshTokens);
    let ssoState = 0;
    for (const statement of ssoRetentionStatements) ssoState += await deleteInBatches(this.tx, statement);
    this.logger.log({ refreshTokens: deleted, ssoState }, 'Expired refresh tokens and sign-in state deleted');
  }
}
