import { OnEvent, type DurableEventHandler, type EnvelopeOf, type TenantTx } from '@switchboard/platform';
import { MessageAdded, TicketCreated, TicketDeleted, TicketMerged, TicketUpdated } from '@switchboard/tickets';
import { MetricsRollupQueue } from '../reporting.context';
import { TicketMetricsUpdater } from './ticket-metrics-updater';

/** Every ticket event that writes a history entry the metrics read (status and assignment changes travel with an update or a message). */
const EVENTS = [TicketCreated, TicketUpdated, MessageAdded, TicketMerged, TicketDeleted] as const;
type TicketEvent = (typeof EVENTS)[number];

/**
 * The ticket's metrics and status intervals, recomputed
 * from its committed history once per event (the receipt commits with them). Any order and any
 * redelivery end in the same figures: each run reads the whole history, not the event's delta.
 */
@OnEvent(EVENTS, { queue: MetricsRollupQueue, job: 'reporting.ticket-metrics' })
export class TrackTicketMetricsJob implements DurableEventHandler<TicketEvent> {
  constructor(private readonly updater: TicketMetricsUpdater) {}

  async handle(event: EnvelopeOf<TicketEvent>, tx: TenantTx): Promise<void> {
    const ids = [event.aggregateId];
    if (event.type === TicketMerged.type) ids.push((event.payload as { targetId: string }).targetId);
    await this.updater.refresh(tx, ids);
  }
}
