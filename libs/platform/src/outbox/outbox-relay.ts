import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import { TenantTransaction } from '../database/tenant-transaction';
import { Metrics } from '../observability/metrics';
import { carrierOf, contextFrom, failSpan, SpanKind, startSpan, withActiveSpan, type Span } from '../observability/trace-context';
import { JobHandlerRegistry } from '../queues/job-handler-registry';
import { QueueRegistry } from '../queues/queue-registry.service';
import { PollingService } from '../queues/polling-service';
import type { EventEnvelope } from './event-envelope';
import { OUTBOX_COLUMNS, toEnvelope, type OutboxRow } from './outbox.sql';

type ClaimedRow = OutboxRow & { position: string };

/**
 * An event that was committed inside a trace gets a span for its relaying, a child of the
 * committing request's span, and its jobs carry that span's context: the consumer's span then
 * hangs below the relay in the same trace. Events outside a trace travel as they are.
 */
function relaySpan(event: EventEnvelope): { event: EventEnvelope; span: Span | null } {
  if (!event.traceContext) return { event, span: null };
  const span = startSpan(`outbox relay ${event.type}`, {
    kind: SpanKind.PRODUCER,
    parent: contextFrom(event.traceContext),
    attributes: { 'messaging.system': 'bullmq', 'messaging.operation.type': 'publish', 'messaging.message.id': event.id, 'switchboard.event.type': event.type },
  });
  const traceContext = carrierOf(span);
  return { event: traceContext ? { ...event, traceContext } : event, span };
}

/**
 * Moves committed outbox rows onto their queues and marks them dispatched, without ever talking
 * to Redis inside a database transaction (ADR 0018): one statement claims a batch with a lease
 * (`claimed_until`; SKIP LOCKED lets several relays claim side by side), the jobs are added with
 * no transaction open, and a second statement marks the batch dispatched. A relay that dies or
 * stalls between the two leaves a claim that expires, and the batch is claimed again; job ids
 * (the event id) fold the duplicates and receipts keep the effects exactly once.
 */
@Injectable()
export class OutboxRelay extends PollingService {
  readonly queue = 'outbox' as const;

  constructor(
    private readonly tx: TenantTransaction,
    private readonly queues: QueueRegistry,
    private readonly routes: JobHandlerRegistry,
    private readonly metrics: Metrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  protected get failureDelayMs(): number {
    return this.config.OUTBOX_POLL_MS * 2;
  }

  /** A full batch means more are waiting: go again at once; otherwise poll after OUTBOX_POLL_MS. */
  protected async pass(): Promise<number> {
    const moved = await this.relayOnce();
    return moved < this.config.OUTBOX_BATCH_SIZE ? this.config.OUTBOX_POLL_MS : 0;
  }

  /** Dispatches one batch; returns how many events it moved. */
  async relayOnce(): Promise<number> {
    const rows = await this.claim();
    if (rows.length === 0) return 0;
    const positions = rows.map((r) => r.position);
    const relayed = rows.map((row) => relaySpan(toEnvelope(row)));
    const jobsOf = (event: EventEnvelope) => this.routes.subscriptionsFor(event.type).map((subscription) => ({ subscription, event }));
    try {
      // Untraced events in one addBulk per queue; a traced event's jobs are added inside its relay
      // span, so the Redis writes show in its trace (one addBulk per traced event, sent side by side).
      const adds = await Promise.allSettled([
        this.queues.addEvents(relayed.filter(({ span }) => !span).flatMap(({ event }) => jobsOf(event))),
        ...relayed.filter(({ span }) => span).map(({ event, span }) => withActiveSpan(span!, () => this.queues.addEvents(jobsOf(event)))),
      ]);
      const failed = adds.find((a): a is PromiseRejectedResult => a.status === 'rejected');
      if (failed) throw failed.reason;
    } catch (error) {
      for (const { span } of relayed) if (span) failSpan(span, error).end();
      // Give the batch back at once rather than when the lease runs out; if this fails too, the lease does it.
      await this.tx.runAsSystem((m) => m.query(`UPDATE outbox SET claimed_until = NULL WHERE position = ANY($1::bigint[]) AND dispatched_at IS NULL`, [positions])).catch(() => undefined);
      throw error;
    }
    for (const { span } of relayed) span?.end();
    const unrouted = rows.filter((row) => this.routes.subscriptionsFor(row.type).length === 0).map((row) => row.position);
    await this.tx.runAsSystem((m) =>
      m.query(
        `UPDATE outbox SET dispatched_at = now(), claimed_until = NULL,
                completed_at = CASE WHEN position = ANY($2::bigint[]) THEN now() ELSE completed_at END
          WHERE position = ANY($1::bigint[])`,
        [positions, unrouted],
      ),
    );
    this.metrics.outboxDispatched.inc({ kind: 'relay' }, rows.length);
    return rows.length;
  }

  /** One statement: the oldest undispatched rows nobody holds a live claim on, claimed for OUTBOX_CLAIM_LEASE_MS. */
  private claim(): Promise<ClaimedRow[]> {
    return this.tx.runAsSystem(async (m) => {
      const rows: ClaimedRow[] = await m.query(
        `WITH claimed AS (
           UPDATE outbox SET claimed_until = now() + make_interval(secs => $2::double precision / 1000)
            WHERE position IN (SELECT position FROM outbox
                                WHERE dispatched_at IS NULL AND (claimed_until IS NULL OR claimed_until < now())
                                ORDER BY position LIMIT $1 FOR UPDATE SKIP LOCKED)
            RETURNING position, ${OUTBOX_COLUMNS})
         SELECT * FROM claimed ORDER BY position`,
        [this.config.OUTBOX_BATCH_SIZE, this.config.OUTBOX_CLAIM_LEASE_MS],
      );
      return rows;
    });
  }
}
