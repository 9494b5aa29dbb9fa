import { Logger } from '@nestjs/common';
import { deleteInBatches, HandlesJob, TenantTransaction, type JobHandler } from '@switchboard/platform';
import { deleteExpiredRefreshTokens } from '../repositories/refresh-token-retention.sql';
import { deleteExpiredSessions } from '../repositories/sessions.sql';
import { ssoRetentionStatements } from '../sso/sso-retention.sql';
import { DeleteExpiredRefreshTokens } from '../tenancy.context';

/**
 * Nightly (schedule `tenancy.refresh-token-retention`), across tenants, in batches: refresh tokens,
 * then sessions a day past expiry, then expired single sign-on state (ADR 0033); a second run
 * deletes nothing more.
 */
@HandlesJob(DeleteExpiredRefreshTokens)
export class DeleteExpiredRefreshTokensJob implements JobHandler<Record<string, never>> {
  private readonly logger = new Logger(DeleteExpiredRefreshTokensJob.name);

  constructor(private readonly tx: TenantTransaction) {}

  async handle(): Promise<void> {
    const deleted = await deleteInBatches(this.tx, deleteExpiredRefreshTokens);
    const sessions = await deleteInBatches(this.tx, deleteExpiredSessions);
    let ssoState = 0;
    for (const statement of ssoRetentionStatements) ssoState += await deleteInBatches(this.tx, statement);
    this.logger.log({ refreshTokens: deleted, sessions, ssoState }, 'Expired refresh tokens, sessions and sign-in state deleted');
  }
}
