import { defineContext, defineEvent, type QueueDefinition } from '@switchboard/platform';

export const MetricsRollupQueue: QueueDefinition = { name: 'metrics-rollup', description: 'Ticket metrics, status durations and daily rollups kept from ticket events; operators’ rebuilds in batches' };

/** An operator asked for a tenant's metrics to be rebuilt from its tickets' history; `generation` names this rebuild. */
export const MetricsRebuildRequested = defineEvent<{ generation: number }>()('reporting.metrics_rebuild_requested', { aggregate: 'reporting_rebuild' });
/** A rebuild batch committed; the next batch follows from this event (so a crash resumes where the last batch ended). */
export const MetricsRebuildProgressed = defineEvent<{ generation: number; done: number }>()('reporting.metrics_rebuild_progressed', { aggregate: 'reporting_rebuild' });

/** Ticket metrics, status durations, daily rollups and the reports answered from them (ADR 0051). */
export const reportingContext = defineContext({
  name: 'reporting',
  events: [MetricsRebuildRequested, MetricsRebuildProgressed],
  queues: [MetricsRollupQueue],
});
