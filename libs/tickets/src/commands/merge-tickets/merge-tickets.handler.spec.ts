import { jest } from '@jest/globals';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { MergesRepository } from '../../repositories/merges.repository';
import type { TicketsRepository } from '../../repositories/tickets.repository';
import type { TicketView } from '../../repositories/tickets.sql';
import { aTicket, fakeTickets } from '../../testing/fake-repositories';
import { MergeTicketsCommand } from './merge-tickets.command';
import { MergeTicketsHandler } from './merge-tickets.handler';

const LOW = '11111111-1111-4111-8111-111111111111';
const HIGH = '22222222-2222-4222-8222-222222222222';
const moved = { messages: 2, attachments: 1, participants: 1, history: 4 };

function setup() {
  const tx = new FakeTenantTransaction();
  const tickets = fakeTickets(aTicket({ id: LOW, number: 1001, tags: ['a'], version: 2 }), aTicket({ id: HIGH, number: 1002, tags: ['b'], version: 5 }));
  const merges = {
    lock: jest.fn<MergesRepository['lock']>(async (_tx, id) => {
      const t = tickets.rows.get(id);
      return t && { ...t, deleted: false };
    }),
    moveContent: jest.fn<MergesRepository['moveContent']>(async () => moved),
    closeSource: jest.fn<MergesRepository['closeSource']>(async (_tx, id, targetId) => {
      const t = tickets.rows.get(id)!;
      Object.assign(t, { status: 'closed', mergedIntoId: targetId, version: t.version + 1 });
    }),
    extendTarget: jest.fn<MergesRepository['extendTarget']>(async (_tx, id, sourceId, tags) => {
      const t = tickets.rows.get(id)!;
      Object.assign(t, { mergedFrom: [...t.mergedFrom, sourceId], tags, version: t.version + 1 });
    }),
  };
  const handler = new MergeTicketsHandler(tx.asTenantTransaction(), tickets as unknown as TicketsRepository, merges as unknown as MergesRepository);
  const merge = (source: string, target: string, version: number | null = null) => handler.execute(new MergeTicketsCommand(testContext(), source, target, version));
  return { tx, tickets, merges, merge };
}

describe('MergeTicketsHandler', () => {
  it.each([
    [HIGH, LOW],
    [LOW, HIGH],
  ])('locks both tickets in id order whichever way the merge goes (%s into %s)', async (source, target) => {
    const { merges, merge } = setup();
    await merge(source.toUpperCase(), target);
    expect(merges.lock.mock.calls.map((c) => c[1])).toEqual([LOW, HIGH]);
    expect(merges.closeSource).toHaveBeenCalledWith(expect.anything(), source, target);
  });

  it('closes the source with a link both ways, unions the tags, and records each side', async () => {
    const { tx, tickets, merge } = setup();
    const result = await merge(HIGH, LOW);
    expect(result.source).toMatchObject({ id: HIGH, status: 'closed', mergedIntoId: LOW, version: 6 });
    expect(result.target).toMatchObject({ id: LOW, mergedFrom: [HIGH], tags: ['a', 'b'], version: 3 });
    expect(result.moved).toEqual(moved);
    expect(tickets.recordHistory.mock.calls.map((c) => [c[1], c[2]])).toEqual([
      [HIGH, 'ticket.merged'],
      [LOW, 'ticket.merged_from'],
    ]);
    expect(tx.audits.map((a) => [a.action, a.entityId])).toEqual([
      ['ticket.merged', HIGH],
      ['ticket.merge_received', LOW],
    ]);
    expect(tx.emitted.map((e) => [e.type, e.aggregateId])).toEqual([
      ['tickets.ticket_merged', HIGH],
      ['tickets.ticket_updated', HIGH],
      ['tickets.ticket_updated', LOW],
      ['tickets.ticket_status_changed', HIGH],
    ]);
    expect(tx.emitted[0]!.payload).toEqual({ targetId: LOW, targetNumber: 1001, moved, version: 6, targetVersion: 3 });
  });

  it('refuses a stale If-Match and a merge into itself, moving nothing', async () => {
    const { tx, merges, merge } = setup();
    await expect(merge(HIGH, LOW, 4)).rejects.toMatchObject({ problem: { status: 412 } });
    await expect(merge(LOW, LOW.toUpperCase())).rejects.toMatchObject({ problem: { status: 422, type: 'merge-into-self' } });
    expect(merges.moveContent).not.toHaveBeenCalled();
    expect(tx.emitted).toEqual([]);
  });

  it('a second merge the other way finds its target merged (409) and changes nothing', async () => {
    const { merges, merge, tickets } = setup();
    await merge(HIGH, LOW);
    merges.moveContent.mockClear();
    await expect(merge(LOW, HIGH)).rejects.toMatchObject({ problem: { status: 409, type: 'merge-target-merged' } });
    expect(merges.moveContent).not.toHaveBeenCalled();
    expect((tickets.rows.get(LOW) as TicketView).mergedIntoId).toBeNull();
  });
});
