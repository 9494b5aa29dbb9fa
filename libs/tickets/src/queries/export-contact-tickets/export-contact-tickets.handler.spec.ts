import { jest } from '@jest/globals';
import { FakeTenantTransaction } from '@switchboard/platform/testing';
import type { TicketDeletionRepository } from '../../repositories/deletion.repository';
import { aTicket, REQUESTER_ID } from '../../testing/fake-repositories';
import { ExportContactTicketsHandler } from './export-contact-tickets.handler';
import { ExportContactTicketsQuery } from './export-contact-tickets.query';

const T1 = 'aaaaaaaa-0000-4000-8000-000000000001';
const ELSEWHERE = 'cccccccc-0000-4000-8000-000000000003';
const message = (id: string, ticketId: string) => ({ id, ticketId, visibility: 'public' as const, authorType: 'contact' as const, authorId: REQUESTER_ID, body: id, html: null, createdAt: '2026-12-06T10:00:00.000Z' });

describe('ExportContactTicketsHandler', () => {
  it('nests each requested ticket’s messages and attachments, and lists what the contact wrote on other tickets separately', async () => {
    const repository = {
      ticketsOfRequester: jest.fn(async () => [aTicket({ id: T1 })]),
      messagesOf: jest.fn(async () => [message('m1', T1), message('m2', ELSEWHERE)]),
      attachmentsOf: jest.fn(async () => [{ id: 'a1', ticketId: T1 }]),
    };
    const handler = new ExportContactTicketsHandler(new FakeTenantTransaction() as never, repository as unknown as TicketDeletionRepository);
    const result = await handler.execute(new ExportContactTicketsQuery('tenant-1', REQUESTER_ID));
    expect(repository.messagesOf).toHaveBeenCalledWith(expect.anything(), [T1], REQUESTER_ID);
    expect(result.tickets).toHaveLength(1);
    expect(result.tickets[0]).toMatchObject({ id: T1, messages: [{ id: 'm1' }], attachments: [{ id: 'a1' }] });
    expect(result.otherMessages).toEqual([message('m2', ELSEWHERE)]);
  });
});
