import { jest } from '@jest/globals';
import type { QueryBus } from '@nestjs/cqrs';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { TicketsRepository } from '../../repositories/tickets.repository';
import type { TicketView } from '../../repositories/tickets.sql';
import type { GroupsRepository } from '../../repositories/groups.repository';
import { aTicket, fakeGroups, fakeTickets } from '../../testing/fake-repositories';
import type { TicketChanges } from '../update-ticket/update-ticket.command';
import { BulkUpdateTicketsCommand } from './bulk-update-tickets.command';
import { BulkUpdateTicketsHandler } from './bulk-update-tickets.handler';

const A = 'aaaaaaaa-0000-4000-8000-000000000001';
const B = 'bbbbbbbb-0000-4000-8000-000000000002';
const C = 'cccccccc-0000-4000-8000-000000000003';

function setup(...tickets: TicketView[]) {
  const tx = new FakeTenantTransaction();
  const repo = fakeTickets(...tickets);
  const queries = { execute: jest.fn(async () => 'agent') };
  const handler = new BulkUpdateTicketsHandler(tx.asTenantTransaction(), queries as unknown as QueryBus, repo as unknown as TicketsRepository, fakeGroups() as unknown as GroupsRepository);
  const bulk = (ids: string[], changes: TicketChanges) => handler.execute(new BulkUpdateTicketsCommand(testContext(), ids, changes));
  return { tx, repo, bulk };
}

describe('BulkUpdateTicketsHandler', () => {
  it('changes every ticket in one transaction, locking in id order and answering in request order', async () => {
    const { tx, repo, bulk } = setup(aTicket({ id: A }), aTicket({ id: B }), aTicket({ id: C }));
    const updated = await bulk([C, A, B], { priority: 'urgent' });

    expect(repo.findForUpdate.mock.calls.map(([, id]) => id)).toEqual([A, B, C]);
    expect(updated.map((t) => [t.id, t.priority, t.version])).toEqual([
      [C, 'urgent', 4],
      [A, 'urgent', 4],
      [B, 'urgent', 4],
    ]);
    expect(tx.committed).toHaveLength(1);
    expect(tx.emitted.map((e) => [e.type, e.aggregateId])).toEqual([
      ['tickets.ticket_updated', A],
      ['tickets.ticket_updated', B],
      ['tickets.ticket_updated', C],
    ]);
    expect(tx.audits).toHaveLength(3);
  });

  it('takes ids in any letter case: locks them in the same order as their lower-case spelling and answers each', async () => {
    const { repo, bulk } = setup(aTicket({ id: A }), aTicket({ id: B }), aTicket({ id: C }));
    const updated = await bulk([B, C.toUpperCase(), A], { priority: 'low' });
    expect(repo.findForUpdate.mock.calls.map(([, id]) => id)).toEqual([A, B, C]);
    expect(updated.map((t) => t.id)).toEqual([B, C, A]);
  });

  it('refuses the whole batch with 422 naming each ticket at fault, and commits nothing', async () => {
    const { tx, bulk } = setup(aTicket({ id: A, status: 'solved' }), aTicket({ id: B, status: 'open' }));
    const refusal = bulk([B, A, C], { status: 'closed' });
    await expect(refusal).rejects.toMatchObject({
      problem: {
        status: 422,
        type: 'bulk-update-refused',
        detail: '2 of 3 tickets refused the change, so none was changed.',
        errors: [
          { field: 'ids[0]', message: expect.stringContaining('Only a solved ticket can be closed') },
          { field: 'ids[2]', message: expect.stringContaining(`Ticket ${C} does not exist`) },
        ],
      },
    });
    // A's change was applied inside the transaction, which then rolled back: nothing committed.
    expect(tx.committed).toEqual([]);
    expect(tx.events).toEqual([]);
    expect(tx.audits).toEqual([]);
  });

  it('lets an unexpected error through as it is', async () => {
    const { tx, repo, bulk } = setup(aTicket({ id: A }));
    repo.findForUpdate.mockRejectedValueOnce(new Error('connection reset'));
    await expect(bulk([A], { priority: 'low' })).rejects.toThrow('connection reset');
    expect(tx.committed).toEqual([]);
  });
});
