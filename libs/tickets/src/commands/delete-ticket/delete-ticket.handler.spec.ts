import { jest } from '@jest/globals';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { TicketDeletionRepository } from '../../repositories/deletion.repository';
import { DeleteTicketCommand } from './delete-ticket.command';
import { DeleteTicketHandler } from './delete-ticket.handler';

const TICKET_ID = 'aaaaaaaa-0000-4000-8000-000000000001';
const DELETED_AT = '2026-12-06T10:00:00.000Z';

function setup(present: boolean) {
  const tx = new FakeTenantTransaction();
  const deletion = { markDeleted: jest.fn<TicketDeletionRepository['markDeleted']>().mockResolvedValue(present ? { number: 42, version: 7, deletedAt: DELETED_AT } : undefined) };
  return { tx, deletion, handler: new DeleteTicketHandler(tx as never, deletion as unknown as TicketDeletionRepository) };
}

describe('DeleteTicketHandler', () => {
  it('marks the ticket deleted, audits it without its content and emits ticket_deleted for consoles and the purge', async () => {
    const { tx, deletion, handler } = setup(true);
    const context = testContext();
    const state = await handler.execute(new DeleteTicketCommand(context, TICKET_ID));
    expect(deletion.markDeleted).toHaveBeenCalledWith(expect.anything(), TICKET_ID, context.actorId);
    expect(state).toEqual({ id: TICKET_ID, number: 42, deletedAt: DELETED_AT, deletedBy: context.actorId, purgedAt: null });
    expect(tx.audits).toEqual([{ action: 'ticket.deleted', entityType: 'ticket', entityId: TICKET_ID, before: { number: 42 } }]);
    expect(tx.emitted).toEqual([{ type: 'tickets.ticket_deleted', aggregateId: TICKET_ID, payload: { number: 42, deletedBy: context.actorId, deletedAt: DELETED_AT, version: 7 } }]);
  });

  it('answers 404 for a missing, already deleted or other tenant’s ticket, with nothing audited or emitted', async () => {
    const { tx, handler } = setup(false);
    await expect(handler.execute(new DeleteTicketCommand(testContext(), TICKET_ID))).rejects.toMatchObject({ problem: { status: 404 } });
    expect(tx.audits).toEqual([]);
    expect(tx.events).toEqual([]);
  });
});
