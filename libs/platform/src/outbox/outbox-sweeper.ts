import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import { TenantTransaction } from '../database/tenant-transaction';
import { Metrics } from '../observability/metrics';
import { consumerName, JobHandlerRegistry, type EventSubscription } from '../queues/job-handler-registry';
import { QueueRegistry } from '../queues/queue-registry.service';
import { PollingService } from '../queues/polling-service';
import { OUTBOX_COLUMNS, toEnvelope, type OutboxRow } from './outbox.sql';

/**
 * After this many re-dispatches that found a consumer's job gone or failed, an event is parked
 * (failed_at) and reported instead of retried forever. A pass that finds every missing consumer's
 * job still in BullMQ (running, waiting, delayed) does not count: the job is merely slow, or held
 * by a dead worker's lock until BullMQ's stall check hands it to another worker.
 */
export const MAX_REDISPATCHES = 20;

/** Job states in which BullMQ still owns the job and will run it (again): adding it once more is a no-op. */
const IN_FLIGHT = new Set(['active', 'waiting', 'delayed', 'prioritized', 'waiting-children']);

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
   * One short transaction marks completed what every consumer acknowledged and restarts the
   * acknowledgement clock of the rest (so no other sweeper takes them meanwhile). Then, with no
   * transaction open, BullMQ says where each missing consumer's job is: an event whose jobs are all
   * still in flight is left to them and costs nothing of its budget; the others are counted (or
   * parked, once the budget is spent) in a second short statement and re-dispatched. Should Redis
   * fail midway, the rows come round again after OUTBOX_ACK_TIMEOUT_MS.
   */
  async sweepOnce(): Promise<{ completed: number; redispatched: number; parked: number; inFlight: number }> {
    const { completed, due } = await this.tx.runAsSystem(async (manager) => {
      const rows: (OutboxRow & { position: string; redispatch_count: number })[] = await manager.query(
        `SELECT position, ${OUTBOX_COLUMNS}, redispatch_count
           FROM outbox
          WHERE completed_at IS NULL AND failed_at IS NULL AND dispatched_at IS NOT NULL
            AND dispatched_at < now() - make_interval(secs => $1::double precision / 1000)
          ORDER BY position LIMIT 500 FOR UPDATE SKIP LOCKED`,
        [this.config.OUTBOX_ACK_TIMEOUT_MS],
      );
      if (rows.length === 0) return { completed: [], due: [] };
      const receipts: { event_id: string; consumer: string }[] = await manager.query(
        `SELECT event_id, consumer FROM event_receipts WHERE event_id = ANY($1::uuid[])`,
        [rows.map((r) => r.id)],
      );
      const acked = new Set(receipts.map((r) => `${r.event_id}/${r.consumer}`));
      const completed: string[] = [];
      const due: { row: (typeof rows)[number]; missing: EventSubscription[] }[] = [];
      for (const row of rows) {
        const missing = this.routes.subscriptionsFor(row.type).filter((s) => !acked.has(`${row.id}/${consumerName(s)}`));
        if (missing.length === 0) completed.push(row.position);
        else due.push({ row, missing });
      }
      await manager.query(`UPDATE outbox SET completed_at = now() WHERE position = ANY($1::bigint[])`, [completed]);
      await manager.query(`UPDATE outbox SET dispatched_at = now() WHERE position = ANY($1::bigint[])`, [due.map((d) => d.row.position)]);
      return { completed, due };
    });

    const states = await Promise.all(due.map(({ row, missing }) => Promise.all(missing.map((s) => this.queues.get(s.queue).getJobState(row.id)))));
    const parked: string[] = [];
    const counted: string[] = [];
    const items: { subscription: EventSubscription; event: ReturnType<typeof toEnvelope> }[] = [];
    const failed: { queue: string; id: string }[] = [];
    due.forEach(({ row, missing }, i) => {
      const lost = missing.filter((_, j) => !IN_FLIGHT.has(states[i]![j]!));
      if (lost.length === 0) return;
      if (row.redispatch_count >= MAX_REDISPATCHES) {
        parked.push(row.position);
        return;
      }
      counted.push(row.position);
      lost.forEach((subscription) => {
        const j = missing.indexOf(subscription);
        if (states[i]![j] === 'failed') failed.push({ queue: subscription.queue, id: row.id });
        items.push({ subscription, event: toEnvelope(row) });
      });
    });
    if (parked.length > 0 || counted.length > 0) {
      await this.tx.runAsSystem(async (manager) => {
        await manager.query(`UPDATE outbox SET failed_at = now() WHERE position = ANY($1::bigint[]) AND completed_at IS NULL`, [parked]);
        await manager.query(`UPDATE outbox SET redispatch_count = redispatch_count + 1 WHERE position = ANY($1::bigint[])`, [counted]);
      });
    }
    if (items.length > 0) {
      await this.retryFailedJobs(failed);
      await this.queues.addEvents(items);
      this.metrics.outboxDispatched.inc({ kind: 'sweep' }, counted.length);
      this.logger.warn({ events: counted.length }, 'Re-dispatched events that were not acknowledged in time');
    }
    if (parked.length > 0) this.logger.error({ events: parked.length }, 'Parked events that no consumer could acknowledge');
    return { completed: completed.length, redispatched: counted.length, parked: parked.length, inFlight: due.length - counted.length - parked.length };
  }

  /** A job that exhausted its attempts keeps its id, so adding it again would be a no-op. */
  private async retryFailedJobs(jobs: { queue: string; id: string }[]): Promise<void> {
    for (const { queue, id } of jobs) {
      const job = await this.queues.get(queue).getJob(id);
      if (job && (await job.isFailed())) await job.retry('failed');
    }
  }
}
