import { jest } from '@jest/globals';
import type { QueryBus } from '@nestjs/cqrs';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import { GetMemberRoleQuery } from '@switchboard/tenancy';
import type { TicketsRepository } from '../../repositories/tickets.repository';
import type { TicketView } from '../../repositories/tickets.sql';
import type { TicketFieldView } from '../../repositories/custom-fields.sql';
import type { GroupsRepository } from '../../repositories/groups.repository';
import { AGENT_ID, aGroup, aTicket, fakeGroups, fakeTickets, GROUP_ID, TICKET_ID } from '../../testing/fake-repositories';
import { UpdateTicketCommand, type TicketChanges } from './update-ticket.command';
import { UpdateTicketHandler } from './update-ticket.handler';

const OTHER_AGENT = '99999999-9999-4999-8999-999999999999';

function setup(ticket: TicketView | null = aTicket({ status: 'new', version: 3 }), roles: Record<string, string> = { [AGENT_ID]: 'agent', [OTHER_AGENT]: 'agent' }) {
  const tx = new FakeTenantTransaction();
  const groups = fakeGroups([aGroup(), aGroup({ id: 'deleted-group', name: 'Old', deletedAt: '2026-12-01T00:00:00.000Z' })], { [GROUP_ID]: [OTHER_AGENT] });
  const tickets = fakeTickets(...(ticket ? [ticket] : []));
  const queries = { execute: jest.fn(async (query: unknown) => (query instanceof GetMemberRoleQuery ? (roles[query.userId] ?? null) : undefined)) };
  const handler = new UpdateTicketHandler(tx.asTenantTransaction(), queries as unknown as QueryBus, tickets as unknown as TicketsRepository, groups as unknown as GroupsRepository);
  const update = (changes: TicketChanges, version = 3) => handler.execute(new UpdateTicketCommand(testContext(), TICKET_ID, changes, version));
  return { tx, tickets, queries, groups, update };
}

const aField = (key: string, type: TicketFieldView['type'], extra: Partial<TicketFieldView> = {}): TicketFieldView => ({
  id: `00000000-0000-4000-8000-0000000000${String(key.length).padStart(2, '0')}`,
  key,
  type,
  label: key,
  description: null,
  options: [],
  pattern: null,
  requiredAtCreate: false,
  requiredAtSolve: false,
  active: true,
  deletedAt: null,
  createdAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
  version: 1,
  ...extra,
});

describe('UpdateTicketHandler: custom fields', () => {
  it('writes changed values only, in one delta entry with the whole map before and after, with a new version', async () => {
    const { tx, tickets, update } = setup(aTicket({ status: 'open', version: 3, fields: { seats: 3 } }));
    tickets.rules.push(aField('seats', 'integer'), aField('vip', 'checkbox'));
    const after = await update({ fields: { seats: 3, vip: true } });
    expect(tickets.writeFieldValue).toHaveBeenCalledTimes(1);
    expect(tickets.writeFieldValue).toHaveBeenCalledWith(expect.anything(), TICKET_ID, tickets.rules[1].id, { column: 'value_bool', value: true });
    expect(tickets.touch).toHaveBeenCalled();
    expect(after).toMatchObject({ fields: { seats: 3, vip: true }, version: 4 });
    expect(tx.emitted[0]).toMatchObject({ type: 'tickets.ticket_updated', payload: { delta: { fields: { from: { seats: 3 }, to: { seats: 3, vip: true } } }, version: 4 } });
  });

  it('refuses to solve without a required-at-solve value, naming the field, and changes nothing', async () => {
    const { tx, tickets, update } = setup(aTicket({ status: 'open', version: 3 }));
    tickets.rules.push(aField('root_cause', 'text', { requiredAtSolve: true }), aField('old', 'text', { requiredAtSolve: true, active: false, deletedAt: '2026-12-02T00:00:00.000Z' }));
    await expect(update({ status: 'solved' })).rejects.toMatchObject({
      problem: { status: 422, errors: [{ field: 'fields.root_cause', message: 'is required to solve the ticket' }] },
    });
    expect(tickets.update).not.toHaveBeenCalled();
    expect(tx.emitted).toEqual([]);
    await expect(update({ status: 'solved', fields: { root_cause: 'valve' } })).resolves.toMatchObject({ status: 'solved', fields: { root_cause: 'valve' } });
  });
});

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

  describe('groups', () => {
    it('moves a ticket into a group, and unassigns it when its assignee is not a member', async () => {
      const { tx, tickets, update } = setup(aTicket({ assigneeId: AGENT_ID }));
      const after = await update({ groupId: GROUP_ID });
      expect(tickets.update).toHaveBeenCalledWith(expect.anything(), TICKET_ID, { groupId: GROUP_ID, assigneeId: null });
      expect(after).toMatchObject({ groupId: GROUP_ID, assigneeId: null });
      expect(tx.emitted.map((e) => e.type)).toEqual(['tickets.ticket_updated', 'tickets.ticket_assigned']);
    });

    it('keeps an assignee who is a member of the new group', async () => {
      const { tickets, update } = setup(aTicket({ assigneeId: OTHER_AGENT }));
      await update({ groupId: GROUP_ID });
      expect(tickets.update).toHaveBeenCalledWith(expect.anything(), TICKET_ID, { groupId: GROUP_ID });
    });

    it('refuses an assignee named with the change who is not in the ticket’s group, and writes nothing', async () => {
      const { tx, tickets, update } = setup(aTicket({ groupId: GROUP_ID }));
      await expect(update({ assigneeId: AGENT_ID })).rejects.toMatchObject({ problem: { status: 422, type: 'assignee-not-in-group', errors: [{ field: 'assigneeId' }] } });
      await expect(update({ groupId: GROUP_ID, assigneeId: AGENT_ID })).rejects.toMatchObject({ problem: { status: 422, type: 'assignee-not-in-group' } });
      expect(tickets.update).not.toHaveBeenCalled();
      expect(tx.events).toEqual([]);
    });

    it('refuses a deleted or unknown group with 422 naming groupId', async () => {
      const { tickets, update } = setup();
      await expect(update({ groupId: 'deleted-group' })).rejects.toMatchObject({ problem: { status: 422, errors: [{ field: 'groupId', message: expect.stringContaining('was deleted') }] } });
      await expect(update({ groupId: '12121212-1212-4121-8121-121212121212' })).rejects.toMatchObject({ problem: { status: 422, errors: [{ field: 'groupId' }] } });
      expect(tickets.update).not.toHaveBeenCalled();
    });

    it('takes a ticket out of its group without touching the assignee', async () => {
      const { tickets, update } = setup(aTicket({ groupId: GROUP_ID, assigneeId: OTHER_AGENT }));
      await update({ groupId: null });
      expect(tickets.update).toHaveBeenCalledWith(expect.anything(), TICKET_ID, { groupId: null });
    });
  });
});
