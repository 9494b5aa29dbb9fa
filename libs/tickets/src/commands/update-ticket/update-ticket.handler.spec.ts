import { jest } from '@jest/globals';
import type { QueryBus } from '@nestjs/cqrs';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import { GetMemberRoleQuery } from '@switchboard/tenancy';
import type { TicketsRepository } from '../../repositories/tickets.repository';
import type { TicketView } from '../../repositories/tickets.sql';
import { AGENT_ID, aTicket, fakeTickets, TICKET_ID } from '../../testing/fake-repositories';
import { UpdateTicketCommand, type TicketChanges } from './update-ticket.command';
import { UpdateTicketHandler } from './update-ticket.handler';

function setup(ticket: TicketView | null = aTicket({ status: 'new', version: 3 }), roles: Record<string, string> = { [AGENT_ID]: 'agent' }) {
  const tx = new FakeTenantTransaction();
  const tickets = fakeTickets(...(ticket ? [ticket] : []));
  const queries = { execute: jest.fn(async (query: unknown) => (query instanceof GetMemberRoleQuery ? (roles[query.userId] ?? null) : undefined)) };
  const handler = new UpdateTicketHandler(tx.asTenantTransaction(), queries as unknown as QueryBus, tickets as unknown as TicketsRepository);
  const update = (changes: TicketChanges, version = 3) => handler.execute(new UpdateTicketCommand(testContext(), TICKET_ID, changes, version));
  return { tx, tickets, queries, update };
}

describe('UpdateTicketHandler', () => {
  it('writes only what changed, with history, audit and one event per kind of change', async () => {
    const { tx, tickets, update } = setup();
    const after = await update({ status: 'open', assigneeId: AGENT_ID, priority: 'normal', subject: 'The boiler makes a knocking noise' });

    expect(tickets.update).toHaveBeenCalledWith(expect.anything(), TICKET_ID, { status: 'open', assigneeId: AGENT_ID });
    expect(after).toMatchObject({ status: 'open', assigneeId: AGENT_ID, version: 4 });
    const delta = { status: { from: 'new', to: 'open' }, assigneeId: { from: null, to: AGENT_ID } };
    expect(tickets.recordHistory).toHaveBeenCalledWith(expect.anything(), TICKET_ID, 'ticket.updated', delta);
    expect(tx.audits).toEqual([
      { action: 'ticket.updated', entityType: 'ticket', entityId: TICKET_ID, before: { status: 'new', assigneeId: null }, after: { status: 'open', assigneeId: AGENT_ID } },
    ]);
    expect(tx.emitted).toEqual([
      { type: 'tickets.ticket_updated', aggregateId: TICKET_ID, payload: { delta, version: 4 } },
      { type: 'tickets.ticket_status_changed', aggregateId: TICKET_ID, payload: { from: 'new', to: 'open', version: 4 } },
      { type: 'tickets.ticket_assigned', aggregateId: TICKET_ID, payload: { from: null, to: AGENT_ID, version: 4 } },
    ]);
  });

  it('refuses a stale version with 412 and changes nothing', async () => {
    const { tx, tickets, update } = setup();
    await expect(update({ priority: 'high' }, 2)).rejects.toMatchObject({ problem: { status: 412, type: 'precondition-failed' } });
    expect(tickets.update).not.toHaveBeenCalled();
    expect(tx.events).toEqual([]);
  });

  it.each([
    ['open', 'closed', 'Only a solved ticket can be closed'],
    ['closed', 'open', 'A closed ticket cannot change status'],
    ['open', 'new', 'cannot go back to new'],
  ] as const)('refuses %s → %s with 422 invalid-transition and changes nothing', async (from, to, why) => {
    const { tx, tickets, update } = setup(aTicket({ status: from, version: 3 }));
    const refusal = update({ status: to });
    await expect(refusal).rejects.toMatchObject({ problem: { status: 422, type: 'invalid-transition' } });
    await expect(refusal).rejects.toThrow(why);
    expect(tickets.update).not.toHaveBeenCalled();
    expect(tx.events).toEqual([]);
    expect(tx.audits).toEqual([]);
  });

  it('refuses an assignee who does not work tickets here with 422', async () => {
    const { tx, tickets, update } = setup(undefined, { [AGENT_ID]: 'technician' });
    await expect(update({ assigneeId: AGENT_ID })).rejects.toMatchObject({ problem: { status: 422, type: 'invalid-reference', errors: [{ field: 'assigneeId' }] } });
    expect(tickets.update).not.toHaveBeenCalled();
    expect(tx.events).toEqual([]);
  });

  it('answers 404 for a ticket that does not exist (or is another tenant’s)', async () => {
    const { tx, update } = setup(null);
    await expect(update({ priority: 'high' })).rejects.toMatchObject({ problem: { status: 404 } });
    expect(tx.events).toEqual([]);
  });

  it('treats equal values as no change: no write, no new version, no event', async () => {
    const { tx, tickets, update } = setup(aTicket({ tags: ['billing', 'vip'], dueAt: '2026-12-24T09:00:00.000Z' }));
    const after = await update({ tags: ['VIP', 'billing'], dueAt: '2026-12-24T10:00:00+01:00', priority: 'normal' });
    expect(after.version).toBe(3);
    expect(tickets.update).not.toHaveBeenCalled();
    expect(tickets.recordHistory).not.toHaveBeenCalled();
    expect(tx.events).toEqual([]);
    expect(tx.audits).toEqual([]);
  });

  it('stores tags normalised and unassigning announces the assignment change', async () => {
    const { tx, tickets, queries, update } = setup(aTicket({ assigneeId: AGENT_ID }));
    await update({ tags: [' Billing', 'vip', 'VIP'], assigneeId: null });
    expect(queries.execute).not.toHaveBeenCalled(); // nobody to check when unassigning
    expect(tickets.update).toHaveBeenCalledWith(expect.anything(), TICKET_ID, { tags: ['billing', 'vip'], assigneeId: null });
    expect(tx.emitted.map((e) => e.type)).toEqual(['tickets.ticket_updated', 'tickets.ticket_assigned']);
    expect(tx.emitted[1]!.payload).toEqual({ from: AGENT_ID, to: null, version: 4 });
  });
});
