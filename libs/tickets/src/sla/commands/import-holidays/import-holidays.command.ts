import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { CalendarView } from '../../repositories/calendars.sql';

/** Holidays from an iCalendar feed, added to the calendar's (`replace`: instead of them). */
export class ImportHolidaysCommand extends Command<{ calendar: CalendarView; imported: number }> {
  constructor(
    readonly context: CommandContext,
    readonly calendarId: string,
    readonly ics: string,
    readonly replace: boolean,
  ) {
    super();
  }
}
