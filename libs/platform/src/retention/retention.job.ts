import { Inject, Logger } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import { TenantTransaction } from '../database/tenant-transaction';
import { RetentionJob } from '../platform.context';
import { HandlesJob, type JobHandler } from '../queues/job-handler';
import { deleteExpiredIdempotencyKeys } from '../database/idempotency-keys';
import { deleteInBatches } from './batched-delete';
import { deleteCompletedEvents, deleteRunReceipts, firstRecentPosition } from './retention.sql';

const DAY_MS = 24 * 3600_000;
/** BIGINT's largest value: no bound when every event is older than the cutoff. */
const NO_BOUND = '9223372036854775807';
/**
 * A period's receipt only has to outlive every delivery of that period: BullMQ's retries end
 * within minutes and failed jobs are kept 7 days for a retry by hand.
 */
const RUN_RECEIPT_DAYS = 30;

/**
 * The platform's nightly retention (schedule `platform.retention`). Everything it deletes is
 * deleted by a predicate, in batches, so a second run of a period deletes nothing more and a run
 * cut short is finished by the next. Expired Idempotency-Key records (IDEMPOTENCY_TTL_SECONDS,
 * ADR 0020) go here too; until then the claim ignores them. Contexts keep their own data with
 * their own schedules (tenancy: expired refresh tokens).
 */
@HandlesJob(RetentionJob)
export class RetentionJobHandler implements JobHandler<Record<string, never>> {
  private readonly logger = new Logger(RetentionJobHandler.name);

  constructor(
    private readonly tx: TenantTransaction,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async handle(): Promise<void> {
    const started = Date.now();
    const events = await this.deleteCompletedEvents(new Date(started - this.config.OUTBOX_RETENTION_DAYS * DAY_MS));
    const runReceipts = await deleteInBatches(this.tx, (limit) => deleteRunReceipts(new Date(started - RUN_RECEIPT_DAYS * DAY_MS), limit));
    const idempotencyKeys = await deleteInBatches(this.tx, deleteExpiredIdempotencyKeys);
    this.logger.log({ outboxEvents: events, runReceipts, idempotencyKeys, retentionDays: this.config.OUTBOX_RETENTION_DAYS, ms: Date.now() - started }, 'Retention done');
  }

  /** GET /v1/events replays from the outbox: this is what bounds how far back it reaches. */
  private async deleteCompletedEvents(cutoff: Date): Promise<number> {
    const { sql, params } = firstRecentPosition(cutoff);
    const [first]: { position: string }[] = await this.tx.runAsSystem((m) => m.query(sql, params));
    return deleteInBatches(this.tx, (limit) => deleteCompletedEvents(cutoff, first?.position ?? NO_BOUND, limit));
  }
}
