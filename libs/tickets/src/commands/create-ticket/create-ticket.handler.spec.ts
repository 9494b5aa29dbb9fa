import { jest } from '@jest/globals';
import type { CommandBus, QueryBus } from '@nestjs/cqrs';
import { FindOrCreateContactCommand, GetContactQuery } from '@switchboard/customers';
import { notFound } from '@switchboard/platform';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import { GetMemberRoleQuery } from '@switchboard/tenancy';
import type { MessagesRepository } from '../../repositories/messages.repository';
import type { TicketsRepository } from '../../repositories/tickets.repository';
import type { GroupsRepository } from '../../repositories/groups.repository';
import type { GroupView } from '../../repositories/groups.sql';
import { AGENT_ID, aGroup, fakeGroups, fakeMessages, fakeTickets, GROUP_ID, NEW_ID, REQUESTER_ID } from '../../testing/fake-repositories';
import { CreateTicketCommand, type CreateTicketInput } from './create-ticket.command';
import { CreateTicketHandler } from './create-ticket.handler';

const FOUND_CONTACT_ID = '77777777-7777-4777-8777-777777777777';

function setup(options: { contacts?: string[]; roles?: Record<string, string>; groups?: GroupView[]; members?: Record<string, string[]> } = {}) {
  const tx = new FakeTenantTransaction();
  const tickets = fakeTickets();
  const messages = fakeMessages();
  const groups = fakeGroups(options.groups ?? [], options.members ?? {});
  const commands = {
    execute: jest.fn(async (command: unknown) => {
      if (command instanceof FindOrCreateContactCommand) return { contact: { id: FOUND_CONTACT_ID }, created: true };
      throw new Error(`unexpected command ${String(command)}`);
    }),
  };
  const queries = {
    execute: jest.fn(async (query: unknown) => {
      if (query instanceof GetContactQuery) {
        if (!(options.contacts ?? [REQUESTER_ID]).includes(query.contactId)) throw notFound('Contact', query.contactId);
        return { id: query.contactId };
      }
      if (query instanceof GetMemberRoleQuery) return options.roles?.[query.userId] ?? null;
      throw new Error(`unexpected query ${String(query)}`);
    }),
  };
  const handler = new CreateTicketHandler(
    tx.asTenantTransaction(),
    commands as unknown as CommandBus,
    queries as unknown as QueryBus,
    tickets as unknown as TicketsRepository,
    messages as unknown as MessagesRepository,
    groups as unknown as GroupsRepository,
  );
  // async: the handler refuses some input synchronously, before it opens a transaction.
  const create = async (input: Partial<CreateTicketInput>) => handler.execute(new CreateTicketCommand(testContext(), { subject: 'Boiler knocks', ...input }));
  return { tx, tickets, messages, commands, queries, create };
}

describe('CreateTicketHandler', () => {
  it('finds or creates the requester by email and records the ticket, its first message, history, audit and event', async () => {
    const { tx, tickets, messages, commands, create } = setup();
    const ticket = await create({ requester: { email: 'ada@example.com', name: 'Ada' }, description: 'It knocks.', tags: ['VIP', ' billing '] });

    const sent = commands.execute.mock.calls[0]![0] as FindOrCreateContactCommand;
    expect(sent).toBeInstanceOf(FindOrCreateContactCommand);
    expect(sent).toMatchObject({ identity: { email: 'ada@example.com' }, name: 'Ada' });
    expect(tickets.insert).toHaveBeenCalledWith(expect.anything(), {
      number: 1001,
      subject: 'Boiler knocks',
      priority: 'normal',
      type: 'question',
      channel: 'api',
      requesterId: FOUND_CONTACT_ID,
      assigneeId: null,
      groupId: null,
      tags: ['billing', 'vip'],
      dueAt: null,
      externalId: null,
      formId: null,
    });
    expect(messages.insertDescription).toHaveBeenCalledWith(expect.anything(), NEW_ID, FOUND_CONTACT_ID, 'It knocks.');
    expect(ticket).toMatchObject({ id: NEW_ID, requesterId: FOUND_CONTACT_ID, status: 'new', version: 1 });

    const { createdAt: _c, updatedAt: _u, version: _v, ...snapshot } = ticket;
    expect(tickets.recordHistory).toHaveBeenCalledWith(expect.anything(), NEW_ID, 'ticket.created', expect.objectContaining({ subject: { to: 'Boiler knocks' }, requesterId: { to: FOUND_CONTACT_ID } }));
    expect(tx.audits).toEqual([{ action: 'ticket.created', entityType: 'ticket', entityId: NEW_ID, after: snapshot }]);
    expect(tx.emitted).toEqual([{ type: 'tickets.ticket_created', aggregateId: NEW_ID, payload: { ticket: snapshot, version: 1 } }]);
  });

  it('checks a given requester and assignee, and announces the assignment', async () => {
    const { tx, tickets, messages, commands, queries, create } = setup({ roles: { [AGENT_ID]: 'agent' } });
    await create({ requesterId: REQUESTER_ID, assigneeId: AGENT_ID, priority: 'high' });

    expect(commands.execute).not.toHaveBeenCalled();
    expect(queries.execute).toHaveBeenCalledWith(expect.any(GetContactQuery));
    expect(queries.execute).toHaveBeenCalledWith(expect.any(GetMemberRoleQuery));
    expect(tickets.insert).toHaveBeenCalledWith(expect.anything(), expect.objectContaining({ requesterId: REQUESTER_ID, assigneeId: AGENT_ID, priority: 'high' }));
    expect(messages.insertDescription).not.toHaveBeenCalled();
    expect(tx.emitted.map((e) => e.type)).toEqual(['tickets.ticket_created', 'tickets.ticket_assigned']);
    expect(tx.emitted[1]).toEqual({ type: 'tickets.ticket_assigned', aggregateId: NEW_ID, payload: { from: null, to: AGENT_ID, version: 1 } });
  });

  it.each([
    ['both', { requesterId: REQUESTER_ID, requester: { email: 'ada@example.com' } }],
    ['neither', {}],
  ])('refuses %s of requesterId and requester with a 400, before any transaction', async (_, input) => {
    const { tx, tickets, create } = setup();
    await expect(create(input)).rejects.toMatchObject({ problem: { status: 400, type: 'validation-failed', errors: [{ field: 'requesterId' }] } });
    expect(tickets.nextNumber).not.toHaveBeenCalled();
    expect(tickets.insert).not.toHaveBeenCalled();
    expect(tx.committed).toEqual([]);
  });

  it('answers 422 for a requester that is no contact of the tenant, and writes nothing', async () => {
    const { tx, tickets, messages, create } = setup({ contacts: [] });
    await expect(create({ requesterId: REQUESTER_ID, description: 'x' })).rejects.toMatchObject({ problem: { status: 422, type: 'invalid-reference', errors: [{ field: 'requesterId' }] } });
    expect(tickets.insert).not.toHaveBeenCalled();
    expect(messages.insertDescription).not.toHaveBeenCalled();
    expect(tx.committed).toEqual([]);
  });

  it.each([
    ['a stranger', null, 'is not a member'],
    ['a viewer', 'viewer', 'cannot be assigned'],
  ])('answers 422 for %s as assignee, and writes nothing', async (_, role, why) => {
    const { tx, tickets, create } = setup({ roles: role ? { [AGENT_ID]: role } : {} });
    const refusal = create({ requesterId: REQUESTER_ID, assigneeId: AGENT_ID });
    await expect(refusal).rejects.toMatchObject({ problem: { status: 422, type: 'invalid-reference', errors: [{ field: 'assigneeId' }] } });
    await expect(refusal).rejects.toThrow(why);
    expect(tickets.insert).not.toHaveBeenCalled();
    expect(tx.events).toEqual([]);
    expect(tx.audits).toEqual([]);
  });

  it('refuses malformed tags with a 400 before any transaction', async () => {
    const { tx, tickets, create } = setup();
    await expect(create({ requesterId: REQUESTER_ID, tags: ['ok', 'not ok!'] })).rejects.toMatchObject({ problem: { status: 400, errors: [{ field: 'tags' }] } });
    expect(tickets.nextNumber).not.toHaveBeenCalled();
    expect(tx.committed).toEqual([]);
  });

  it('puts the ticket in a live group, with an assignee who is one of its members', async () => {
    const { tickets, create } = setup({ roles: { [AGENT_ID]: 'agent' }, groups: [aGroup()], members: { [GROUP_ID]: [AGENT_ID] } });
    await create({ requesterId: REQUESTER_ID, groupId: GROUP_ID, assigneeId: AGENT_ID });
    expect(tickets.insert).toHaveBeenCalledWith(expect.anything(), expect.objectContaining({ groupId: GROUP_ID, assigneeId: AGENT_ID }));
  });

  it('refuses an unknown group, and an assignee outside the group, creating nothing', async () => {
    const { tx, tickets, create } = setup({ roles: { [AGENT_ID]: 'agent' }, groups: [aGroup()] });
    await expect(create({ requesterId: REQUESTER_ID, groupId: NEW_ID })).rejects.toMatchObject({ problem: { status: 422, errors: [{ field: 'groupId' }] } });
    await expect(create({ requesterId: REQUESTER_ID, groupId: GROUP_ID, assigneeId: AGENT_ID })).rejects.toMatchObject({ problem: { status: 422, type: 'assignee-not-in-group' } });
    expect(tickets.insert).not.toHaveBeenCalled();
    expect(tx.events).toEqual([]);
  });
});
