import { jest } from '@jest/globals';
import type { QueryBus } from '@nestjs/cqrs';
import { GetContactQuery } from '@switchboard/customers';
import { notFound } from '@switchboard/platform';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import { GetMemberRoleQuery } from '@switchboard/tenancy';
import type { ParticipantsRepository } from '../../repositories/participants.repository';
import type { ParticipantRole } from '../../repositories/participants.sql';
import type { TicketsRepository } from '../../repositories/tickets.repository';
import { AGENT_ID, aTicket, CREATED_AT, fakeParticipants, fakeTickets, NOW, REQUESTER_ID, TICKET_ID } from '../../testing/fake-repositories';
import { ChangeParticipantsCommand } from './change-participants.command';
import { ChangeParticipantsHandler } from './change-participants.handler';

const VIEWER_ID = '88888888-8888-4888-8888-888888888888';

function setup(existing: { role: ParticipantRole; participantId: string }[] = [], ticketExists = true) {
  const tx = new FakeTenantTransaction();
  const tickets = fakeTickets(...(ticketExists ? [aTicket()] : []));
  const participants = fakeParticipants(existing);
  const queries = {
    execute: jest.fn(async (query: unknown) => {
      if (query instanceof GetContactQuery) {
        if (query.contactId !== REQUESTER_ID) throw notFound('Contact', query.contactId);
        return { id: REQUESTER_ID };
      }
      if (query instanceof GetMemberRoleQuery) return ({ [AGENT_ID]: 'agent', [VIEWER_ID]: 'viewer' } as Record<string, string>)[query.userId] ?? null;
      throw new Error('unexpected query');
    }),
  };
  const handler = new ChangeParticipantsHandler(tx.asTenantTransaction(), queries as unknown as QueryBus, tickets as unknown as TicketsRepository, participants as unknown as ParticipantsRepository);
  const change = (action: 'add' | 'remove', role: ParticipantRole, id: string) => handler.execute(new ChangeParticipantsCommand(testContext(), TICKET_ID, action, role, id));
  return { tx, tickets, participants, queries, change };
}

describe('ChangeParticipantsHandler', () => {
  it('adds a CC that is a contact of the tenant, with history, audit and event', async () => {
    const { tx, tickets, participants, queries, change } = setup();
    const result = await change('add', 'cc', REQUESTER_ID);

    expect(queries.execute).toHaveBeenCalledWith(expect.any(GetContactQuery));
    expect(participants.add).toHaveBeenCalledWith(expect.anything(), TICKET_ID, 'cc', REQUESTER_ID);
    expect(result).toEqual({ participant: { role: 'cc', participantId: REQUESTER_ID, createdAt: NOW }, changed: true });
    expect(tickets.recordHistory).toHaveBeenCalledWith(expect.anything(), TICKET_ID, 'ticket.cc_added', { cc: { to: REQUESTER_ID } });
    expect(tx.audits).toEqual([{ action: 'ticket.cc_added', entityType: 'ticket', entityId: TICKET_ID, after: { role: 'cc', participantId: REQUESTER_ID, action: 'add' } }]);
    expect(tx.emitted).toEqual([{ type: 'tickets.participants_changed', aggregateId: TICKET_ID, payload: { role: 'cc', participantId: REQUESTER_ID, action: 'add' } }]);
  });

  it('adding a follower twice changes nothing the second time and answers when they were added', async () => {
    const { tx, tickets, change } = setup([{ role: 'follower', participantId: AGENT_ID }]);
    const result = await change('add', 'follower', AGENT_ID);
    expect(result).toEqual({ participant: { role: 'follower', participantId: AGENT_ID, createdAt: CREATED_AT }, changed: false });
    expect(tickets.recordHistory).not.toHaveBeenCalled();
    expect(tx.events).toEqual([]);
    expect(tx.audits).toEqual([]);
  });

  it.each([
    ['cc', '99999999-9999-4999-8999-999999999999', 'contactId'],
    ['follower', VIEWER_ID, 'userId'],
    ['follower', '99999999-9999-4999-8999-999999999999', 'userId'],
  ] as const)('refuses a %s who is not one (%s) with 422 on %s and adds nothing', async (role, id, field) => {
    const { tx, participants, change } = setup();
    await expect(change('add', role, id)).rejects.toMatchObject({ problem: { status: 422, type: 'invalid-reference', errors: [{ field }] } });
    expect(participants.add).not.toHaveBeenCalled();
    expect(tx.events).toEqual([]);
  });

  it('removes a follower with history, audit and event', async () => {
    const { tx, tickets, queries, change } = setup([{ role: 'follower', participantId: AGENT_ID }]);
    const result = await change('remove', 'follower', AGENT_ID);
    expect(queries.execute).not.toHaveBeenCalled(); // anyone may be removed, even a former member
    expect(result.changed).toBe(true);
    expect(tickets.recordHistory).toHaveBeenCalledWith(expect.anything(), TICKET_ID, 'ticket.follower_removed', { follower: { from: AGENT_ID } });
    expect(tx.emitted).toEqual([{ type: 'tickets.participants_changed', aggregateId: TICKET_ID, payload: { role: 'follower', participantId: AGENT_ID, action: 'remove' } }]);
  });

  it('answers 404 when removing someone who is not a participant', async () => {
    const { tx, change } = setup();
    await expect(change('remove', 'cc', REQUESTER_ID)).rejects.toMatchObject({ problem: { status: 404, detail: `CC ${REQUESTER_ID} does not exist.` } });
    expect(tx.events).toEqual([]);
  });

  it('answers 404 for a missing ticket before checking anyone', async () => {
    const { tx, participants, queries, change } = setup([], false);
    await expect(change('add', 'cc', REQUESTER_ID)).rejects.toMatchObject({ problem: { status: 404 } });
    expect(queries.execute).not.toHaveBeenCalled();
    expect(participants.add).not.toHaveBeenCalled();
    expect(tx.events).toEqual([]);
  });
});
