import { consoleEvent, defineConfig, defineContext, defineEvent, defineJob, defineSchedule, type ConfigOf, type QueueDefinition } from '@switchboard/platform';
import { z } from 'zod';
import { QueueWeeklyDigests, ReportDigestQueue, SendWeeklyDigest, WeeklyDigests } from './digest/digest.definitions';
import { ROLLUPS_UPDATED_CONSOLE_EVENT } from './domain/report';

export const MetricsRollupQueue: QueueDefinition = { name: 'metrics-rollup', description: 'Ticket metrics, status durations and daily rollups kept from ticket events; operators’ rebuilds in batches' };

/** An operator asked for a tenant's metrics to be rebuilt from its tickets' history; `generation` names this rebuild. */
export const MetricsRebuildRequested = defineEvent<{ generation: number }>()('reporting.metrics_rebuild_requested', { aggregate: 'reporting_rebuild' });
/** A rebuild batch committed; the next batch follows from this event (so a crash resumes where the last batch ended). */
export const MetricsRebuildProgressed = defineEvent<{ generation: number; done: number }>()('reporting.metrics_rebuild_progressed', { aggregate: 'reporting_rebuild' });
/** The daily rollups of these local days were recomputed (dashboards refresh). */
export const RollupsUpdated = defineEvent<{ days: string[] }>()('reporting.rollups_updated', { aggregate: 'reporting_rollups' });

/** Recomputes one tenant's marked days (a delayed job keyed `rollup:<tenant>`, so marks made meanwhile fold into one run). */
export const RollUpTenant = defineJob<{ tenantId: string }>()(MetricsRollupQueue, 'reporting.roll-up-tenant');
/** Finds tenants with marked days and queues their roll-up. */
export const SweepRollups = defineJob<Record<string, never>>()(MetricsRollupQueue, 'reporting.sweep-rollups');
/** How long marks gather before a tenant's days are recomputed (and the sweep's period). */
export const ROLLUP_DEBOUNCE_MS = 2_000;
export const RollupSweep = defineSchedule({
  id: 'reporting.rollup-sweep',
  job: SweepRollups,
  every: ROLLUP_DEBOUNCE_MS,
  description: 'Tenants with marked tickets get their metrics recomputed, and those whose ticket metrics or report facts changed get their marked local days rolled up again (Postgres holds the marks)',
});

/**
 * Recomputes one tenant's marked tickets in batches (ADR 0065). Queued after a ticket event's
 * receipt marks its ticket, a short debounce later; events meanwhile fold into the pending job.
 */
export const RecomputeTicketMetrics = defineJob<{ tenantId: string }>()(MetricsRollupQueue, 'reporting.recompute-ticket-metrics');

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

export const reportingConfig = defineConfig('reporting', {
  /**
   * How long, in ms, a ticket event's mark waits before the tenant's batched recompute runs: the
   * events of that window (many tickets, or many events of one) cost one recompute per ticket.
   */
  REPORTING_METRICS_DEBOUNCE_MS: int(0, 60_000).default(200),
  /** Marked tickets recomputed per transaction (one read of their timelines, one write of each table). */
  REPORTING_METRICS_BATCH: int(1, 5_000).default(500),
});
export type ReportingConfig = ConfigOf<typeof reportingConfig>;

/** Ticket metrics, status durations, daily rollups and the reports answered from them (ADR 0051, 0059); their charts and the weekly digest (ADR 0060). */
export const reportingContext = defineContext({
  name: 'reporting',
  events: [MetricsRebuildRequested, MetricsRebuildProgressed, RollupsUpdated],
  queues: [MetricsRollupQueue, ReportDigestQueue],
  jobs: [RecomputeTicketMetrics, RollUpTenant, SweepRollups, QueueWeeklyDigests, SendWeeklyDigest],
  schedules: [RollupSweep, WeeklyDigests],
  // Days only: agents' consoles refetch what they show; figures never travel in the event.
  consoleEvents: [consoleEvent(RollupsUpdated, ROLLUPS_UPDATED_CONSOLE_EVENT, ({ payload }) => ({ days: payload.days }), { permission: 'reports:read' })],
  config: reportingConfig,
});
