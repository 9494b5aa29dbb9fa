import { CommandHandler, QueryBus, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { assertAssignee } from '../../domain/references';
import { recordTimeEntry, timeOwner } from '../../domain/time-entries';
import { TicketsRepository } from '../../repositories/tickets.repository';
import { TimeRepository } from '../../repositories/time.repository';
import type { TimeEntryView } from '../../repositories/time.sql';
import { LogTimeCommand } from './log-time.command';

/** Records time spent on a ticket, for the caller or (owners, admins) for another working member. */
@CommandHandler(LogTimeCommand)
export class LogTimeHandler implements ICommandHandler<LogTimeCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly queries: QueryBus,
    private readonly tickets: TicketsRepository,
    private readonly time: TimeRepository,
  ) {}

  execute({ context, ticketId, input, canManageOthers }: LogTimeCommand): Promise<TimeEntryView> {
    const userId = timeOwner(context, input.userId, canManageOthers);
    return this.tx.run(context, async (tx) => {
      if (!(await this.tickets.find(tx, ticketId))) throw notFound('Ticket', ticketId);
      // Time belongs to people who work tickets: owners, admins and agents of this tenant.
      if (userId !== context.actorId) await assertAssignee(this.queries, context.tenantId, userId, 'userId');
      return recordTimeEntry(tx, { tickets: this.tickets, time: this.time }, ticketId, userId, {
        minutes: input.minutes,
        activityType: input.activityType ?? 'general',
        billable: input.billable ?? true,
        note: input.note ?? null,
        workedAt: input.workedAt ? new Date(input.workedAt).toISOString() : new Date().toISOString(),
      });
    });
  }
}
