import { ProblemException, type CommandContext, type TenantTx } from '@switchboard/platform';
import type { TicketsRepository } from '../repositories/tickets.repository';
import type { TimeRepository } from '../repositories/time.repository';
import type { TimeEntryFields, TimeEntryView } from '../repositories/time.sql';
import { TimeLogged } from '../tickets.context';

/** One entry holds at most a day: a timer left running overnight is recorded as this much, and says so. */
export const MAX_ENTRY_MINUTES = 1440;

const forbidden = (detail: string) => new ProblemException({ status: 403, type: 'forbidden', title: 'Forbidden', detail });

/**
 * Whose time an entry is: the caller's own, or — for owners and admins — anyone's. An API key acts
 * for nobody in particular, so it must name the person.
 */
export function timeOwner(context: CommandContext, requested: string | undefined, canManageOthers: boolean): string {
  if (requested && requested !== context.actorId) {
    if (!canManageOthers) throw forbidden('Only owners and admins record or change time for someone else; leave userId out to record your own.');
    return requested;
  }
  if (context.actorType !== 'user' || !context.actorId) {
    throw new ProblemException({
      status: 422,
      type: 'validation-failed',
      title: 'Unprocessable Content',
      detail: 'An API key records time for a person: send userId (an owner, admin or agent of this tenant).',
      errors: [{ field: 'userId', message: 'is required when an API key records time' }],
    });
  }
  return context.actorId;
}

/** Only the person whose time it is, or an owner or admin, changes an entry. */
export function assertMayChange(context: CommandContext, entry: TimeEntryView, canManageOthers: boolean): void {
  if (entry.userId !== context.actorId && !canManageOthers) throw forbidden('This is someone else’s time entry; only they, an owner or an admin can change it.');
}

/** Records an entry on a live ticket with its history line, audit entry and event (shared by logging time and stopping a timer). */
export async function recordTimeEntry(
  tx: TenantTx,
  repos: { tickets: TicketsRepository; time: TimeRepository },
  ticketId: string,
  userId: string,
  fields: TimeEntryFields,
): Promise<TimeEntryView> {
  const entry = await repos.time.insert(tx, ticketId, userId, fields);
  await repos.tickets.recordHistory(tx, ticketId, 'ticket.time_logged', {
    timeEntry: { to: { id: entry.id, userId, minutes: entry.minutes, activityType: entry.activityType, billable: entry.billable } },
  });
  await tx.audit({ action: 'ticket.time_logged', entityType: 'ticket', entityId: ticketId, after: { entryId: entry.id, userId, minutes: entry.minutes, activityType: entry.activityType, billable: entry.billable } });
  await tx.emit(TimeLogged.of(ticketId, { entry }));
  return entry;
}
