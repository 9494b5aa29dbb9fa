import { consoleEvent, defineEvent, defineJob, defineSchedule, type EventEnvelope, type QueueDefinition } from '@switchboard/platform';
import type { SlaMetric } from './domain/sla-clock';
import type { CalendarView } from './repositories/calendars.sql';
import type { PolicyView } from './repositories/policies.sql';

/**
 * What the SLA part of the tickets context registers with the platform (spread into
 * `ticketsContext` in tickets.context.ts).
 */

/** A business calendar was created, changed or deleted; the SLA engine recomputes deadlines that use it. */
export const BusinessCalendarChanged = defineEvent<{ op: 'created' | 'updated' | 'deleted'; calendar: CalendarView | null; version: number }>()('tickets.business_calendar_changed', {
  aggregate: 'business_calendar',
});

/** An SLA policy was created, changed or deleted; open tickets' deadlines follow it. */
export const SlaPolicyChanged = defineEvent<{ op: 'created' | 'updated' | 'deleted'; policy: PolicyView | null }>()('tickets.sla_policy_changed', { aggregate: 'sla_policy' });

/** A target's warning instant came (N minutes before its deadline, in the policy's time): given once per deadline. */
export const TicketSlaWarning = defineEvent<{ metric: SlaMetric; deadline: string; warningAt: string; policyId: string }>()('tickets.ticket_sla_warning', { aggregate: 'ticket' });
/** A target's deadline passed while its clock ran: recorded once (the breached metric event's unique key decides). */
export const TicketSlaBreached = defineEvent<{ metric: SlaMetric; breachedAt: string; policyId: string; policyVersion: number }>()('tickets.ticket_sla_breached', { aggregate: 'ticket' });

/**
 * A target's clock stopped because it was met (a reply, a solve): recorded once, where the engine
 * records the `fulfilled` metric event. `breached` when its deadline had passed first (met late,
 * which reports count as missed). `cycleStartedAt` names the target's cycle: a reopened ticket's
 * resolution is fulfilled again in the same cycle, and the later fulfilment is the one that counts.
 */
export const TicketSlaTargetFulfilled = defineEvent<{
  metric: SlaMetric;
  fulfilledAt: string;
  cycleStartedAt: string;
  breached: boolean;
  policyId: string;
  policyVersion: number;
  /** Minutes counted (business or calendar, as the policy says) until it was met. */
  elapsedMinutes: number;
}>()('tickets.ticket_sla_target_fulfilled', { aggregate: 'ticket' });

export const SLA_EVENTS = [BusinessCalendarChanged, SlaPolicyChanged, TicketSlaWarning, TicketSlaBreached, TicketSlaTargetFulfilled];

/** The SLA engine's queue: recomputes after ticket, policy and calendar changes, and the warning and breach timers. */
export const SlaQueue: QueueDefinition = { name: 'sla', description: 'SLA deadlines recomputed after ticket, policy and calendar changes; warning and breach timers at their exact instant' };

export interface SlaTimerPayload {
  tenantId: string;
  ticketId: string;
  metric: SlaMetric;
  /** The target's deadline version the timer was armed for: a later recompute makes it stale. */
  version: number;
}
export const SlaBreachDue = defineJob<SlaTimerPayload>()(SlaQueue, 'tickets.sla-breach');
export const SlaWarningDue = defineJob<SlaTimerPayload>()(SlaQueue, 'tickets.sla-warning');
/** One bounded batch of a tenant's recompute after a policy or calendar change; it queues the next one. */
export const RecomputeTenantSla = defineJob<{ tenantId: string; generation: number }>()(SlaQueue, 'tickets.sla-recompute-tenant');
export const SweepSlaTimers = defineJob<Record<string, never>>()(SlaQueue, 'tickets.sla-sweep');
/** Timers due within this are queued as delayed jobs (by the recompute and by the sweep); later ones wait in Postgres. */
export const SLA_TIMER_LOOKAHEAD_MS = 5 * 60_000;
/** Tickets per recompute batch (one transaction). */
export const SLA_RECOMPUTE_BATCH = 500;
export const SlaSweep = defineSchedule({
  id: 'tickets.sla-sweep',
  job: SweepSlaTimers,
  every: 60_000,
  description: 'SLA warning and breach timers due within 5 min queued for their instant (Postgres holds them; Redis may lose delayed jobs); stalled tenant recomputes resumed',
});

export const SLA_QUEUES = [SlaQueue];
export const SLA_JOBS = [SlaBreachDue, SlaWarningDue, RecomputeTenantSla, SweepSlaTimers];
export const SLA_SCHEDULES = [SlaSweep];

const calendarEvent = ({ aggregateId, payload }: EventEnvelope<{ op: string; calendar: CalendarView | null; version: number }>): Record<string, unknown> => ({ ...payload, calendarId: aggregateId });

export const SLA_CONSOLE_EVENTS = [
  consoleEvent(BusinessCalendarChanged, 'business_calendar.changed', calendarEvent),
  consoleEvent(SlaPolicyChanged, 'sla_policy.changed', ({ aggregateId, payload }) => ({ ...payload, policyId: aggregateId })),
  consoleEvent(TicketSlaWarning, 'ticket.sla_warning', ({ aggregateId, payload }) => ({ ...payload, ticketId: aggregateId })),
  consoleEvent(TicketSlaBreached, 'ticket.sla_breached', ({ aggregateId, payload }) => ({ ...payload, ticketId: aggregateId })),
];
