import { OnEvent, type DurableEventHandler, type EnvelopeOf, type TenantTx } from '@switchboard/platform';
import { RebuildsRepository } from '../repositories/rebuilds.repository';
import { MetricsRebuildProgressed, MetricsRebuildRequested, MetricsRollupQueue } from '../reporting.context';
import { TicketMetricsUpdater } from './ticket-metrics-updater';

/** Tickets per rebuild batch: one transaction each, short enough not to hold the tenant's rows for long. */
export const REBUILD_BATCH = 200;

type RebuildEvent = typeof MetricsRebuildRequested | typeof MetricsRebuildProgressed;

/**
 * One batch of a tenant's rebuild per event: the next tickets after the stored cursor recomputed
 * through the same path as the worker's incremental updates, the cursor moved and the next batch's
 * event emitted in the same transaction. An event of a superseded generation does nothing.
 */
@OnEvent([MetricsRebuildRequested, MetricsRebuildProgressed], { queue: MetricsRollupQueue, job: 'reporting.rebuild-batch' })
export class RebuildMetricsBatchJob implements DurableEventHandler<RebuildEvent> {
  constructor(
    private readonly rebuilds: RebuildsRepository,
    private readonly updater: TicketMetricsUpdater,
  ) {}

  async handle(event: EnvelopeOf<RebuildEvent>, tx: TenantTx): Promise<void> {
    const row = await this.rebuilds.find(tx, true);
    if (!row || row.generation !== event.payload.generation || row.state === 'done') return;
    const batch = await this.updater.rebuildBatch(tx, row.after_ticket_id, REBUILD_BATCH);
    const after = await this.rebuilds.progress(tx, batch.last, batch.read);
    if (batch.last !== null) await tx.emit(MetricsRebuildProgressed.of(tx.tenantId, { generation: row.generation, done: after.done }));
  }
}
