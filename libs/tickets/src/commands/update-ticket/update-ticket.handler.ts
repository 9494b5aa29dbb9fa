import { Inject, Optional } from '@nestjs/common';
import { CommandHandler, QueryBus, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, staleVersion, TenantTransaction, type TenantTx } from '@switchboard/platform';
import { assertAssigneeInGroup, assertLiveGroup } from '../../domain/groups';
import { assertAssignee } from '../../domain/references';
import { planFieldValues } from '../../domain/ticket-field-values';
import { GroupsRepository } from '../../repositories/groups.repository';
import { assertTransition, normaliseTags } from '../../domain/ticket';
import { resolveCustomStatus } from '../../domain/custom-status';
import { TicketsRepository } from '../../repositories/tickets.repository';
import type { ChangeableField, TicketView } from '../../repositories/tickets.sql';
import { UpdateTicketCommand, type TicketChanges } from './update-ticket.command';
import { TICKET_TRIGGERS, type TicketTriggers } from '../../triggers/ticket-triggers';
import { TicketAssigned, TicketStatusChanged, TicketUpdated, type FieldDelta } from '../../tickets.context';

/**
 * Applies changes to one ticket inside the caller's transaction: version check (when given),
 * lifecycle and assignee rules, then history, audit and events for what actually changed.
 */
export async function applyTicketChanges(
  tx: TenantTx,
  deps: { queries: QueryBus; tickets: TicketsRepository; groups: GroupsRepository },
  ticketId: string,
  changes: TicketChanges,
  expectedVersion: number | null,
): Promise<TicketView> {
  const context = tx.context;
  const wanted = { ...changes, ...(changes.tags ? { tags: normaliseTags(changes.tags) } : {}) };
  const before = await deps.tickets.findForUpdate(tx, ticketId);
  if (!before) throw notFound('Ticket', ticketId);
  if (expectedVersion !== null && before.version !== expectedVersion) {
    throw staleVersion('ticket', expectedVersion, before.version);
  }
  if (wanted.status !== undefined || wanted.customStatusId !== undefined) await resolveCustomStatus(tx, before, wanted);
  if (wanted.status) assertTransition(before.status, wanted.status);
  if (wanted.assigneeId) await assertAssignee(deps.queries, context.tenantId, wanted.assigneeId);
  // A ticket in a group is worked by its members: an assignee named with the change must be one;
  // a ticket moved to a group its assignee is not in is unassigned (the group's queue picks it up).
  const groupChanged = wanted.groupId !== undefined && wanted.groupId !== before.groupId;
  if (groupChanged && wanted.groupId) await assertLiveGroup(tx, deps.groups, wanted.groupId);
  const groupId = wanted.groupId !== undefined ? wanted.groupId : before.groupId;
  const assigneeId = wanted.assigneeId !== undefined ? wanted.assigneeId : before.assigneeId;
  const assigneeChanged = wanted.assigneeId !== undefined && wanted.assigneeId !== before.assigneeId;
  if (groupId && assigneeId && (groupChanged || assigneeChanged) && !(await deps.groups.isMember(tx, groupId, assigneeId))) {
    if (assigneeChanged) await assertAssigneeInGroup(tx, deps.groups, (await deps.groups.find(tx, groupId))!, assigneeId);
    else wanted.assigneeId = null;
  }

  // Custom field values (and the form) are checked against the tenant's fields; a move to solved needs the required-at-solve ones.
  const { fields: fieldValues, ...columns } = wanted;
  const solving = wanted.status === 'solved' && before.status !== 'solved';
  const plan =
    fieldValues !== undefined || wanted.formId !== undefined || solving
      ? await planFieldValues(tx, deps, { current: { formId: before.formId, fields: before.fields }, formId: wanted.formId, values: fieldValues, creating: false, solving })
      : undefined;

  const delta: FieldDelta = {};
  for (const [field, value] of Object.entries(columns)) {
    if (value === undefined) continue;
    const old = before[field as keyof TicketView];
    const normalisedNew = field === 'dueAt' && value ? new Date(value as string).toISOString() : value;
    if (JSON.stringify(old) !== JSON.stringify(normalisedNew)) delta[field] = { from: old, to: normalisedNew };
  }
  if (plan && plan.writes.length > 0) delta.fields = { from: before.fields, to: plan.fields };
  if (Object.keys(delta).length === 0) return before;
  const fields = Object.keys(delta).filter((f) => f !== 'fields') as ChangeableField[];
  if (fields.length > 0) await deps.tickets.update(tx, ticketId, Object.fromEntries(fields.map((f) => [f, columns[f]])));
  else await deps.tickets.touch(tx, ticketId);
  await Promise.all((plan?.writes ?? []).map((w) => deps.tickets.writeFieldValue(tx, ticketId, w.field.id, w.stored)));
  const after = (await deps.tickets.find(tx, ticketId))!;
  await deps.tickets.recordHistory(tx, ticketId, 'ticket.updated', delta);
  const pick = (t: TicketView) => Object.fromEntries(Object.keys(delta).map((f) => [f, t[f as keyof TicketView]]));
  await tx.audit({ action: 'ticket.updated', entityType: 'ticket', entityId: ticketId, before: pick(before), after: pick(after) });
  await tx.emit(TicketUpdated.of(ticketId, { delta, version: after.version }));
  if (delta.status) {
    await tx.emit(TicketStatusChanged.of(ticketId, { from: before.status, to: after.status, version: after.version }));
  }
  if (delta.assigneeId) {
    await tx.emit(TicketAssigned.of(ticketId, { from: before.assigneeId, to: after.assigneeId, version: after.version }));
  }
  return after;
}

@CommandHandler(UpdateTicketCommand)
export class UpdateTicketHandler implements ICommandHandler<UpdateTicketCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly queries: QueryBus,
    private readonly tickets: TicketsRepository,
    private readonly groups: GroupsRepository,
    /** Absent in unit specs of the update itself; the module always provides it. */
    @Optional() @Inject(TICKET_TRIGGERS) private readonly triggers?: TicketTriggers,
  ) {}

  execute({ context, ticketId, changes, expectedVersion }: UpdateTicketCommand): Promise<TicketView> {
    return this.tx.run(context, async (tx) => {
      const from = tx.events.length;
      const after = await applyTicketChanges(tx, { queries: this.queries, tickets: this.tickets, groups: this.groups }, ticketId, changes, expectedVersion);
      // Triggers run in the same transaction (ADR 0046); the answer is the ticket as they left it.
      const fired = await this.triggers?.afterCommand(tx, from);
      return fired?.get(ticketId)?.firings.length ? (await this.tickets.find(tx, ticketId))! : after;
    });
  }
}
