import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { CalendarsRepository } from '../../repositories/calendars.repository';
import type { CalendarView } from '../../repositories/calendars.sql';
import { ListCalendarsQuery } from './list-calendars.query';

@QueryHandler(ListCalendarsQuery)
export class ListCalendarsHandler implements IQueryHandler<ListCalendarsQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly calendars: CalendarsRepository,
  ) {}

  execute({ tenantId, calendarId }: ListCalendarsQuery): Promise<CalendarView[]> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      if (!calendarId) return this.calendars.list(tx);
      const calendar = await this.calendars.find(tx, calendarId, { live: true });
      if (!calendar) throw notFound('Business calendar', calendarId);
      return [calendar];
    });
  }
}
