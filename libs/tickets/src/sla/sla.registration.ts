import { consoleEvent, defineEvent, type EventEnvelope } from '@switchboard/platform';
import type { CalendarView } from './repositories/calendars.sql';

/**
 * What the SLA part of the tickets context registers with the platform (spread into
 * `ticketsContext` in tickets.context.ts).
 */

/** A business calendar was created, changed or deleted; the SLA engine recomputes deadlines that use it. */
export const BusinessCalendarChanged = defineEvent<{ op: 'created' | 'updated' | 'deleted'; calendar: CalendarView | null; version: number }>()('tickets.business_calendar_changed', {
  aggregate: 'business_calendar',
});

export const SLA_EVENTS = [BusinessCalendarChanged];

const calendarEvent = ({ aggregateId, payload }: EventEnvelope<{ op: string; calendar: CalendarView | null; version: number }>): Record<string, unknown> => ({ ...payload, calendarId: aggregateId });

export const SLA_CONSOLE_EVENTS = [consoleEvent(BusinessCalendarChanged, 'business_calendar.changed', calendarEvent)];
