import { jest } from '@jest/globals';
import type { EnvelopeOf, EventConsumer, TenantFiles, TenantTx } from '@switchboard/platform';
import { FakeTenantTransaction, RecordingTenantTx, testContext } from '@switchboard/platform/testing';
import { PURGE_BATCH, type TicketDeletionRepository } from '../repositories/deletion.repository';
import type { CsatRepository } from '../repositories/csat.repository';
import type { TicketsRepository } from '../repositories/tickets.repository';
import { TicketDeleted } from '../tickets.context';
import { PurgeDeletedTicketJob } from './purge-deleted-ticket.job';

const TICKET_ID = 'aaaaaaaa-0000-4000-8000-000000000001';
const ADMIN_ID = '99999999-0000-4000-8000-000000000009';

const deleted = (): EnvelopeOf<typeof TicketDeleted> => ({
  id: 'event-1',
  tenantId: testContext().tenantId,
  type: TicketDeleted.type,
  eventVersion: 1,
  aggregateType: 'ticket',
  aggregateId: TICKET_ID,
  payload: { number: 7, deletedBy: ADMIN_ID, deletedAt: '2026-12-06T10:00:00.000Z', version: 3 },
  occurredAt: '2026-12-06T10:00:00.000Z',
  actorId: ADMIN_ID,
  correlationId: null,
});

function setup(options: { messages: number; tombstoned?: boolean }) {
  const steps: string[] = [];
  let messagesLeft = options.messages;
  const deletion = {
    attachmentKeys: jest.fn(async () => (steps.includes('attachments') ? [] : [{ id: 'att-1', storageKey: 'attachments/a.png' }])),
    deleteAttachments: jest.fn(async (_tx: TenantTx, ids: string[]) => {
      steps.push(`rows:${ids.join(',')}`);
      if (ids.length) steps.push('attachments');
      return ids.length;
    }),
    deleteChildren: jest.fn(async (_tx: TenantTx, table: string) => {
      if (table !== 'ticket_messages') return 0;
      const n = Math.min(messagesLeft, PURGE_BATCH);
      messagesLeft -= n;
      steps.push(`messages:${n}`);
      return n;
    }),
    deleteParticipants: jest.fn(async () => 1),
    deleteFieldValues: jest.fn(async () => 2),
    tombstone: jest.fn(async () => options.tombstoned ?? true),
  };
  const files = { remove: jest.fn(async (_tenant: string, key: string) => void steps.push(`file:${key}`)) };
  const tickets = { recordHistory: jest.fn(async () => undefined) };
  const receiptTx = new RecordingTenantTx(testContext());
  const consumer = { once: jest.fn(async (_c: string, _e: unknown, effect: (tx: TenantTx) => Promise<void>) => (await effect(receiptTx), true)) };
  const csat = { deleteForTicket: jest.fn(async (_tx: unknown, _ticketId: string) => undefined) };
  const job = new PurgeDeletedTicketJob(new FakeTenantTransaction() as never, consumer as unknown as EventConsumer, files as unknown as TenantFiles, deletion as unknown as TicketDeletionRepository, tickets as unknown as TicketsRepository, csat as unknown as CsatRepository);
  return { job, steps, deletion, files, tickets, csat, consumer, receiptTx };
}

describe('PurgeDeletedTicketJob', () => {
  it('removes each attachment’s file before its row, deletes messages in batches until one comes back short, then leaves the tombstone with the receipt', async () => {
    const { job, steps, deletion, tickets, csat, consumer, receiptTx } = setup({ messages: PURGE_BATCH + 3 });
    await job.handle(deleted(), 'tickets:tickets.purge-deleted-ticket');
    expect(steps).toEqual(['file:attachments/a.png', 'rows:att-1', 'attachments', `messages:${PURGE_BATCH}`, 'messages:3']);
    expect(deletion.deleteChildren.mock.calls.map((c) => c[1])).toEqual(['ticket_messages', 'ticket_messages', 'ticket_ai_suggestions', 'ticket_events']);
    expect(consumer.once).toHaveBeenCalledTimes(1);
    expect(deletion.deleteParticipants).toHaveBeenCalledWith(receiptTx, { ticketId: TICKET_ID });
    expect(deletion.deleteFieldValues).toHaveBeenCalledWith(receiptTx, TICKET_ID);
    expect(csat.deleteForTicket).toHaveBeenCalledWith(receiptTx, TICKET_ID);
    expect(tickets.recordHistory).toHaveBeenCalledWith(receiptTx, TICKET_ID, 'ticket.deleted', { deletedBy: { to: ADMIN_ID }, deletedAt: { to: '2026-12-06T10:00:00.000Z' } });
  });

  it('writes no second tombstone entry when a redelivery finds the ticket already purged', async () => {
    const { job, tickets } = setup({ messages: 0, tombstoned: false });
    await job.handle(deleted(), 'tickets:tickets.purge-deleted-ticket');
    expect(tickets.recordHistory).not.toHaveBeenCalled();
  });
});
