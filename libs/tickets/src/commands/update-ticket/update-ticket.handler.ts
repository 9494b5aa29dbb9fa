import { CommandHandler, QueryBus, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, ProblemException, TenantTransaction, type TenantTx } from '@switchboard/platform';
import { assertAssignee } from '../../domain/references';
import { assertTransition, normaliseTags } from '../../domain/ticket';
import { loadTicket, recordHistory, type TicketView } from '../../repositories/tickets.sql';
import { UpdateTicketCommand, type TicketChanges } from './update-ticket.command';
import { TicketAssigned, TicketStatusChanged, TicketUpdated } from '../../tickets.context';

const COLUMNS: Record<string, string> = {
  subject: 'subject',
  status: 'status',
  priority: 'priority',
  type: 'type',
  assigneeId: 'assignee_id',
  tags: 'tags',
  dueAt: 'due_at',
  externalId: 'external_id',
};

/**
 * Applies changes to one ticket inside the caller's transaction: version check (when given),
 * lifecycle and assignee rules, then history, audit and events for what actually changed.
 */
export async function applyTicketChanges(
  tx: TenantTx,
  queries: QueryBus,
  ticketId: string,
  changes: TicketChanges,
  expectedVersion: number | null,
): Promise<TicketView> {
  const context = tx.context;
  const wanted = { ...changes, ...(changes.tags ? { tags: normaliseTags(changes.tags) } : {}) };
  const before = await loadTicket(tx.manager, context.tenantId, ticketId, true);
  if (!before) throw notFound('Ticket', ticketId);
  if (expectedVersion !== null && before.version !== expectedVersion) {
    throw new ProblemException({
      status: 412,
      type: 'precondition-failed',
      title: 'Precondition Failed',
      detail: `The ticket changed since version ${expectedVersion} (now ${before.version}); reload and retry.`,
    });
  }
  if (wanted.status) assertTransition(before.status, wanted.status);
  if (wanted.assigneeId) await assertAssignee(queries, context.tenantId, wanted.assigneeId);

  const delta: Record<string, { from: unknown; to: unknown }> = {};
  for (const [field, value] of Object.entries(wanted)) {
    if (value === undefined) continue;
    const old = before[field as keyof TicketView];
    const normalisedNew = field === 'dueAt' && value ? new Date(value as string).toISOString() : value;
    if (JSON.stringify(old) !== JSON.stringify(normalisedNew)) delta[field] = { from: old, to: normalisedNew };
  }
  if (Object.keys(delta).length === 0) return before;
  const fields = Object.keys(delta);
  await tx.manager.query(
    `UPDATE tickets SET ${fields.map((f, i) => `${COLUMNS[f]} = $${i + 3}`).join(', ')}, updated_at = now(), version = version + 1
      WHERE tenant_id = $1 AND id = $2`,
    [context.tenantId, ticketId, ...fields.map((f) => wanted[f as keyof typeof wanted])],
  );
  const after = (await loadTicket(tx.manager, context.tenantId, ticketId))!;
  await recordHistory(tx, ticketId, 'ticket.updated', delta);
  const pick = (t: TicketView) => Object.fromEntries(fields.map((f) => [f, t[f as keyof TicketView]]));
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
  ) {}

  execute({ context, ticketId, changes, expectedVersion }: UpdateTicketCommand): Promise<TicketView> {
    return this.tx.run(context, (tx) => applyTicketChanges(tx, this.queries, ticketId, changes, expectedVersion));
  }
}
