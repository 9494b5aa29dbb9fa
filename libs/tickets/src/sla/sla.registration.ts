import { consoleEvent, defineEvent, type EventEnvelope } from '@switchboard/platform';
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

export const SLA_EVENTS = [BusinessCalendarChanged, SlaPolicyChanged];

const calendarEvent = ({ aggregateId, payload }: EventEnvelope<{ op: string; calendar: CalendarView | null; version: number }>): Record<string, unknown> => ({ ...payload, calendarId: aggregateId });

export const SLA_CONSOLE_EVENTS = [
  consoleEvent(BusinessCalendarChanged, 'business_calendar.changed', calendarEvent),
  consoleEvent(SlaPolicyChanged, 'sla_policy.changed', ({ aggregateId, payload }) => ({ ...payload, policyId: aggregateId })),
];
