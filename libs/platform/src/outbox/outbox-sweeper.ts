import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import { TenantTransaction } from '../database/tenant-transaction';
import { Metrics } from '../observability/metrics';
import { consumerName, JobHandlerRegistry } from '../queues/job-handler-registry';
import { QueueRegistry } from '../queues/queue-registry.service';
import { PollingService } from '../queues/polling-service';
import { OUTBOX_COLUMNS, toEnvelope, type OutboxRow } from './outbox.sql';

/** After this many re-dispatches an event is parked (failed_at) and reported instead of retried forever. */
export const MAX_REDISPATCHES = 20;

/**
 * Re-dispatches events that some consumer has not acknowledged within OUTBOX_ACK_TIMEOUT_MS, so
 * a Redis flush or restart between relay and consumption loses nothing. Consumers' receipts are
 * the acknowledgement; an event whose consumers all acknowledged is marked completed.
 *
 * It runs on a timer in every worker that consumes the `outbox` queue, not as a job scheduled in
 * Redis: the sweeper exists to survive losing Redis's contents, so it must not live there.
 */
@Injectable()
export class OutboxSweeper extends PollingService {
  readonly queue = 'outbox' as const;
  protected readonly failureDelayMs = 1_000;

  constructor(
    private readonly tx: TenantTransaction,
    private readonly queues: QueueRegistry,
    private readonly routes: JobHandlerRegistry,
    private readonly metrics: Metrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  protected async pass(): Promise<number> {
    await this.sweepOnce();
    return this.config.OUTBOX_SWEEP_MS;
  }

  /**
   * One short transaction decides (completed, parked, or to re-dispatch, which restarts its
   * acknowledgement clock so no other sweeper takes it meanwhile); Redis is told afterwards, with
   * no transaction open. Should that fail, the rows come round again after OUTBOX_ACK_TIMEOUT_MS.
   */
  async sweepOnce(): Promise<{ completed: number; redispatched: number; parked: number }> {
    const decided = await this.tx.runAsSystem(async (manager) => {
      const rows: (OutboxRow & { position: string; redispatch_count: number })[] = await manager.query(
        `SELECT position, ${OUTBOX_COLUMNS}, redispatch_count
           FROM outbox
          WHERE completed_at IS NULL AND failed_at IS NULL AND dispatched_at IS NOT NULL
            AND dispatched_at < now() - make_interval(secs => $1::double precision / 1000)
          ORDER BY position LIMIT 500 FOR UPDATE SKIP LOCKED`,
        [this.config.OUTBOX_ACK_TIMEOUT_MS],
      );
      if (rows.length === 0) return { completed: [], parked: [], items: [] };
      const receipts: { event_id: string; consumer: string }[] = await manager.query(
        `SELECT event_id, consumer FROM event_receipts WHERE event_id = ANY($1::uuid[])`,
        [rows.map((r) => r.id)],
      );
      const acked = new Set(receipts.map((r) => `${r.event_id}/${r.consumer}`));
      const completed: string[] = [];
      const parked: string[] = [];
      const redispatch: string[] = [];
      const items = [];
      for (const row of rows) {
        const missing = this.routes.subscriptionsFor(row.type).filter((s) => !acked.has(`${row.id}/${consumerName(s)}`));
        if (missing.length === 0) completed.push(row.position);
        else if (row.redispatch_count >= MAX_REDISPATCHES) parked.push(row.position);
        else {
          redispatch.push(row.position);
          for (const subscription of missing) items.push({ subscription, event: toEnvelope(row) });
        }
      }
      await manager.query(`UPDATE outbox SET completed_at = now() WHERE position = ANY($1::bigint[])`, [completed]);
      await manager.query(`UPDATE outbox SET failed_at = now() WHERE position = ANY($1::bigint[])`, [parked]);
      await manager.query(`UPDATE outbox SET dispatched_at = now(), redispatch_count = redispatch_count + 1 WHERE position = ANY($1::bigint[])`, [redispatch]);
      return { completed, parked, items, redispatched: redispatch.length };
    });
    const { completed, parked, items } = decided;
    const redispatched = decided.redispatched ?? 0;
    if (items.length > 0) {
      await this.retryFailedJobs(items.map((i) => ({ queue: i.subscription.queue, id: i.event.id })));
      await this.queues.addEvents(items);
      this.metrics.outboxDispatched.inc({ kind: 'sweep' }, redispatched);
      this.logger.warn({ events: redispatched }, 'Re-dispatched events that were not acknowledged in time');
    }
    if (parked.length > 0) this.logger.error({ events: parked.length }, 'Parked events that no consumer could acknowledge');
    return { completed: completed.length, redispatched, parked: parked.length };
  }

  /** A job that exhausted its attempts keeps its id, so adding it again would be a no-op. */
  private async retryFailedJobs(jobs: { queue: string; id: string }[]): Promise<void> {
    for (const { queue, id } of jobs) {
      const job = await this.queues.get(queue).getJob(id);
      if (job && (await job.isFailed())) await job.retry('failed');
    }
  }
}
