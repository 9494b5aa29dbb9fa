import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { calendarProblem } from '../../domain/calendar-problem';
import { holidaysFromICalendar } from '../../domain/ical-holidays';
import type { Holiday } from '../../domain/business-calendar';
import type { CalendarView } from '../../repositories/calendars.sql';
import { SaveCalendarCommand } from '../save-calendar/save-calendar.command';
import { ImportHolidaysCommand } from './import-holidays.command';
import { CalendarsRepository } from '../../repositories/calendars.repository';
import { notFound, TenantTransaction } from '@switchboard/platform';

/** Reads the feed, then saves the calendar with its holidays through the one command that validates and audits calendars. */
@CommandHandler(ImportHolidaysCommand)
export class ImportHolidaysHandler implements ICommandHandler<ImportHolidaysCommand> {
  constructor(
    private readonly commands: CommandBus,
    private readonly tx: TenantTransaction,
    private readonly calendars: CalendarsRepository,
  ) {}

  async execute({ context, calendarId, ics, replace }: ImportHolidaysCommand): Promise<{ calendar: CalendarView; imported: number }> {
    let imported: Holiday[];
    try {
      imported = holidaysFromICalendar(ics);
    } catch (error) {
      throw calendarProblem(error);
    }
    const current = await this.tx.run(context, (tx) => this.calendars.find(tx, calendarId, { live: true }));
    if (!current) throw notFound('Business calendar', calendarId);
    const holidays = replace ? imported : [...current.holidays, ...imported];
    const calendar = await this.commands.execute(new SaveCalendarCommand(context, calendarId, { holidays }, current.version));
    return { calendar, imported: imported.length };
  }
}
