import { Query } from '@nestjs/cqrs';
import type { CalendarView } from '../../repositories/calendars.sql';

/** The tenant's live business calendars by name (`calendarId`: just that one, a 404 when it is not live). */
export class ListCalendarsQuery extends Query<CalendarView[]> {
  constructor(
    readonly tenantId: string,
    readonly calendarId?: string,
  ) {
    super();
  }
}
