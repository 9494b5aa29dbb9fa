import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import { TenantTransaction } from '../database/tenant-transaction';
import { Metrics } from '../observability/metrics';
import { JobHandlerRegistry } from '../queues/job-handler-registry';
import { QueueRegistry } from '../queues/queue-registry.service';
import { PollingService } from '../queues/polling-service';
import { OUTBOX_COLUMNS, toEnvelope, type OutboxRow } from './outbox.sql';

/**
 * Moves committed outbox rows onto their queues and marks them dispatched. Rows are claimed
 * with SKIP LOCKED so several workers can relay side by side. If Redis accepts the jobs but the
 * commit fails, the next pass adds them again and the job ids fold the duplicates.
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
    return this.tx.runAsSystem(async (manager) => {
      const rows: (OutboxRow & { position: string })[] = await manager.query(
        `SELECT position, ${OUTBOX_COLUMNS}
           FROM outbox WHERE dispatched_at IS NULL
          ORDER BY position LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [this.config.OUTBOX_BATCH_SIZE],
      );
      if (rows.length === 0) return 0;
      const items = rows.flatMap((row) => this.routes.subscriptionsFor(row.type).map((subscription) => ({ subscription, event: toEnvelope(row) })));
      await this.queues.addEvents(items);
      const unrouted = rows.filter((row) => this.routes.subscriptionsFor(row.type).length === 0).map((row) => row.position);
      await manager.query(
        `UPDATE outbox SET dispatched_at = now(),
                completed_at = CASE WHEN position = ANY($2::bigint[]) THEN now() ELSE completed_at END
          WHERE position = ANY($1::bigint[])`,
        [rows.map((r) => r.position), unrouted],
      );
      this.metrics.outboxDispatched.inc({ kind: 'relay' }, rows.length);
      return rows.length;
    });
  }
}
