import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, ProblemException, TenantTransaction } from '@switchboard/platform';
import { CalendarsRepository } from '../../repositories/calendars.repository';
import { BusinessCalendarChanged } from '../../sla.registration';
import { DeleteCalendarCommand } from './delete-calendar.command';

/** Deletes a calendar no group uses (409 naming the groups otherwise); history keeps naming it. */
@CommandHandler(DeleteCalendarCommand)
export class DeleteCalendarHandler implements ICommandHandler<DeleteCalendarCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly calendars: CalendarsRepository,
  ) {}

  execute({ context, calendarId }: DeleteCalendarCommand): Promise<void> {
    return this.tx.run(context, async (tx) => {
      const calendar = await this.calendars.find(tx, calendarId, { lock: true, live: true });
      if (!calendar) throw notFound('Business calendar', calendarId);
      const groups = await this.calendars.groupsUsing(tx, calendarId);
      if (groups.length > 0) {
        throw new ProblemException({
          status: 409,
          type: 'conflict',
          title: 'Conflict',
          detail: `Calendar "${calendar.name}" is the business calendar of ${groups.map((g) => `"${g}"`).join(', ')}; give those groups another calendar first.`,
          extensions: { groups },
        });
      }
      await this.calendars.softDelete(tx, calendarId);
      await tx.audit({ action: 'business_calendar.deleted', entityType: 'business_calendar', entityId: calendarId, before: { name: calendar.name } });
      await tx.emit(BusinessCalendarChanged.of(calendarId, { op: 'deleted', calendar: null, version: calendar.version + 1 }));
    });
  }
}
