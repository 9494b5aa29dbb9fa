import { Inject } from '@nestjs/common';
import { EventConsumer, OnEventSelfAcknowledged, QueueRegistry, type EnvelopeOf, type SelfAcknowledgingEventHandler } from '@switchboard/platform';
import { MessageAdded, TicketCreated, TicketDeleted, TicketMerged, TicketUpdated } from '@switchboard/tickets';
import { metricsSql } from '../repositories/metrics.sql';
import { MetricsRollupQueue, reportingConfig, type ReportingConfig } from '../reporting.context';
import { queueTicketMetricsRecompute } from './recompute-ticket-metrics.job';

/** Every ticket event that writes a history entry the metrics read (status and assignment changes travel with an update or a message). */
const EVENTS = [TicketCreated, TicketUpdated, MessageAdded, TicketMerged, TicketDeleted] as const;
type TicketEvent = (typeof EVENTS)[number];

/**
 * A ticket event marks its ticket (and a merge's target) for recomputing, in the transaction of
 * its receipt (both sent in one round trip); after the commit the tenant's batched recompute is queued a short debounce later
 * (ADR 0065). The recompute reads each ticket's whole committed history, so any order and any
 * redelivery end in the same figures, and many events of one ticket cost one recompute.
 */
@OnEventSelfAcknowledged(EVENTS, { queue: MetricsRollupQueue, job: 'reporting.ticket-metrics' })
export class TrackTicketMetricsJob implements SelfAcknowledgingEventHandler<TicketEvent> {
  constructor(
    private readonly consumer: EventConsumer,
    private readonly queues: QueueRegistry,
    @Inject(reportingConfig.token) private readonly config: ReportingConfig,
  ) {}

  async handle(event: EnvelopeOf<TicketEvent>, consumer: string): Promise<void> {
    const ids = [event.aggregateId.toLowerCase()];
    const target = event.type === TicketMerged.type ? (event.payload as { targetId: string }).targetId.toLowerCase() : null;
    if (target && target !== ids[0]) ids.push(target);
    // Receipt and mark in one round trip; a duplicate delivery marks again, which costs one more recompute and changes no figure.
    await this.consumer.onceBatched(consumer, event, [metricsSql.markDirty(event.tenantId, ids)]);
    // Also after a duplicate delivery: the first one may have committed its mark and died before this.
    await queueTicketMetricsRecompute(this.queues, event.tenantId, this.config.REPORTING_METRICS_DEBOUNCE_MS);
  }
}
