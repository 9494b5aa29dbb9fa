import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, ProblemException, staleVersion, TenantTransaction } from '@switchboard/platform';
import { validateCalendar } from '../../domain/business-calendar';
import { calendarProblem } from '../../domain/calendar-problem';
import { CalendarsRepository } from '../../repositories/calendars.repository';
import type { CalendarFields, CalendarView } from '../../repositories/calendars.sql';
import { BusinessCalendarChanged } from '../../sla.registration';
import { SaveCalendarCommand } from './save-calendar.command';

export const calendarNameTaken = (name: string) =>
  new ProblemException({ status: 409, type: 'conflict', title: 'Conflict', detail: `A business calendar named "${name}" already exists; names are unique (ignoring case).`, errors: [{ field: 'name', message: 'must be unique' }] });

/** A business calendar, created or changed: validated whole (zone, intervals, holidays), audited and announced. */
@CommandHandler(SaveCalendarCommand)
export class SaveCalendarHandler implements ICommandHandler<SaveCalendarCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly calendars: CalendarsRepository,
  ) {}

  execute({ context, calendarId, input, expectedVersion }: SaveCalendarCommand): Promise<CalendarView> {
    return this.tx.run(context, async (tx) => {
      const before = calendarId ? await this.calendars.find(tx, calendarId, { lock: true, live: true }) : undefined;
      if (calendarId && !before) throw notFound('Business calendar', calendarId);
      if (before && expectedVersion !== null && expectedVersion !== before.version) throw staleVersion('business calendar', expectedVersion, before.version);
      let spec;
      try {
        spec = validateCalendar({ timeZone: input.timeZone ?? before!.timeZone, week: input.week ?? before!.week, holidays: input.holidays ?? before?.holidays ?? [] });
      } catch (error) {
        throw calendarProblem(error);
      }
      const next: CalendarFields = { name: input.name ?? before!.name, ...spec };
      if ((!before || before.name.toLowerCase() !== next.name.toLowerCase()) && (await this.calendars.nameTaken(tx, next.name, before?.id ?? null))) throw calendarNameTaken(next.name);
      const after = before ? await this.calendars.update(tx, before.id, next) : await this.calendars.insert(tx, next);
      const op = before ? 'updated' : 'created';
      await tx.audit({
        action: `business_calendar.${op}`,
        entityType: 'business_calendar',
        entityId: after.id,
        before: before ? { name: before.name, timeZone: before.timeZone, week: before.week, holidays: before.holidays.length } : undefined,
        after: { name: next.name, timeZone: next.timeZone, week: next.week, holidays: next.holidays.length },
      });
      await tx.emit(BusinessCalendarChanged.of(after.id, { op, calendar: after, version: after.version }));
      return after;
    });
  }
}
