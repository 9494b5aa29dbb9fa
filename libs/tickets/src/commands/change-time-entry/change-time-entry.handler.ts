import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, staleVersion, TenantTransaction } from '@switchboard/platform';
import { assertMayChange } from '../../domain/time-entries';
import { TicketsRepository } from '../../repositories/tickets.repository';
import { TimeRepository } from '../../repositories/time.repository';
import type { TimeEntryFields, TimeEntryView } from '../../repositories/time.sql';
import { TimeEntryDeleted, TimeEntryUpdated, type FieldDelta } from '../../tickets.context';
import { ChangeTimeEntryCommand } from './change-time-entry.command';

/** Corrects or removes a time entry (its person, or an owner or admin), with history, audit and an event. */
@CommandHandler(ChangeTimeEntryCommand)
export class ChangeTimeEntryHandler implements ICommandHandler<ChangeTimeEntryCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly tickets: TicketsRepository,
    private readonly time: TimeRepository,
  ) {}

  execute({ context, ticketId, entryId, changes, canManageOthers, expectedVersion }: ChangeTimeEntryCommand): Promise<TimeEntryView | null> {
    return this.tx.run(context, async (tx) => {
      if (!(await this.tickets.find(tx, ticketId))) throw notFound('Ticket', ticketId);
      const before = await this.time.find(tx, ticketId, entryId, true);
      if (!before) throw notFound('Time entry', entryId);
      assertMayChange(context, before, canManageOthers);
      if (expectedVersion !== null && expectedVersion !== before.version) throw staleVersion('time entry', expectedVersion, before.version);
      const summary = { id: entryId, userId: before.userId, minutes: before.minutes };
      if (changes === null) {
        await this.time.delete(tx, entryId);
        await this.tickets.recordHistory(tx, ticketId, 'ticket.time_entry_deleted', { timeEntry: { from: summary } });
        await tx.audit({ action: 'ticket.time_entry_deleted', entityType: 'ticket', entityId: ticketId, before: { entryId, userId: before.userId, minutes: before.minutes, activityType: before.activityType } });
        await tx.emit(TimeEntryDeleted.of(ticketId, { entryId, userId: before.userId, minutes: before.minutes }));
        return null;
      }
      const current: TimeEntryFields = { minutes: before.minutes, activityType: before.activityType, billable: before.billable, note: before.note, workedAt: before.workedAt };
      const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) as Partial<TimeEntryFields>;
      const next: TimeEntryFields = { ...current, ...defined, ...(defined.workedAt ? { workedAt: new Date(defined.workedAt).toISOString() } : {}) };
      const delta: FieldDelta = {};
      for (const key of Object.keys(next) as (keyof TimeEntryFields)[]) if (next[key] !== current[key]) delta[key] = { from: current[key], to: next[key] };
      if (Object.keys(delta).length === 0) return before;
      const after = await this.time.update(tx, entryId, next);
      await this.tickets.recordHistory(tx, ticketId, 'ticket.time_entry_updated', { timeEntry: { from: summary, to: { id: entryId, userId: after.userId, minutes: after.minutes } } });
      await tx.audit({
        action: 'ticket.time_entry_updated',
        entityType: 'ticket',
        entityId: ticketId,
        before: { entryId, ...Object.fromEntries(Object.entries(delta).map(([k, d]) => [k, d.from])) },
        after: { entryId, ...Object.fromEntries(Object.entries(delta).map(([k, d]) => [k, d.to])) },
      });
      await tx.emit(TimeEntryUpdated.of(ticketId, { entryId, userId: after.userId, delta }));
      return after;
    });
  }
}
