import { jest } from '@jest/globals';
import type { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ContactErasureRequested, RecordErasureStepCommand } from '@switchboard/customers';
import type { EnvelopeOf, EventConsumer, TenantFiles } from '@switchboard/platform';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { CsatRepository } from '../repositories/csat.repository';
import { TICKET_REDACTABLE, type TicketDeletionRepository } from '../repositories/deletion.repository';
import { EraseContactFromTicketsJob } from './erase-contact-from-tickets.job';

const CONTACT_ID = '11111111-1111-4111-8111-111111111111';
const ERASURE_ID = '22222222-2222-4222-8222-222222222222';

const requested = (): EnvelopeOf<typeof ContactErasureRequested> => ({
  id: 'event-1',
  tenantId: testContext().tenantId,
  type: ContactErasureRequested.type,
  eventVersion: 1,
  aggregateType: 'contact',
  aggregateId: CONTACT_ID,
  payload: { erasureId: ERASURE_ID, contactId: CONTACT_ID },
  occurredAt: '2026-12-06T10:00:00.000Z',
  actorId: null,
  correlationId: null,
});

function setup(terms: { pattern: string | null; completed: boolean } | undefined) {
  const deletion = {
    eraseAuthoredMessages: jest.fn(async () => 2),
    deleteSuggestionsOfRequester: jest.fn(async () => 1),
    attachmentKeysOfContact: jest.fn(async () => [{ id: 'att-1', storageKey: 'attachments/r.png' }]),
    deleteAttachments: jest.fn(async () => 1),
    deleteParticipants: jest.fn(async () => 0),
    eraseInboundRaw: jest.fn(async (_tx: unknown, _pattern: string) => 1),
    redact: jest.fn(async (_tx: unknown, _spec: { table: string }, _pattern: string) => 1),
  };
  const csat = { eraseCommentsOfRequester: jest.fn(async (_tx: unknown, _contactId: string) => 1) };
  const files = { remove: jest.fn(async () => undefined) };
  const queries = { execute: jest.fn(async () => terms && { contactId: CONTACT_ID, ...terms }) };
  const commands = { execute: jest.fn(async (_command: unknown) => undefined) };
  const consumer = { once: jest.fn(async () => true) };
  const job = new EraseContactFromTicketsJob(
    new FakeTenantTransaction() as never,
    consumer as unknown as EventConsumer,
    queries as unknown as QueryBus,
    commands as unknown as CommandBus,
    files as unknown as TenantFiles,
    deletion as unknown as TicketDeletionRepository,
    csat as unknown as CsatRepository,
  );
  return { job, deletion, csat, files, commands, consumer };
}

describe('EraseContactFromTicketsJob', () => {
  it('replaces the contact’s messages, deletes suggestions and attachments (files too), redacts every ticket table, reports counts, then acknowledges', async () => {
    const { job, deletion, csat, files, commands, consumer } = setup({ pattern: '(ada)', completed: false });
    await job.handle(requested(), 'tickets:tickets.erase-contact');
    expect(deletion.eraseAuthoredMessages).toHaveBeenCalledWith(expect.anything(), CONTACT_ID);
    expect(files.remove).toHaveBeenCalledWith(testContext().tenantId, 'attachments/r.png');
    expect(deletion.deleteParticipants).toHaveBeenCalledWith(expect.anything(), { participantId: CONTACT_ID });
    expect(deletion.eraseInboundRaw).toHaveBeenCalledWith(expect.anything(), '(ada)');
    expect(csat.eraseCommentsOfRequester).toHaveBeenCalledWith(expect.anything(), CONTACT_ID);
    expect(deletion.redact.mock.calls.map((c) => c[1].table)).toEqual(TICKET_REDACTABLE.map((t) => t.table));
    const report = commands.execute.mock.calls[0][0] as RecordErasureStepCommand;
    expect(report).toBeInstanceOf(RecordErasureStepCommand);
    expect(report).toMatchObject({ erasureId: ERASURE_ID, step: 'tickets', counts: { messagesWrittenByContact: 2, aiSuggestions: 1, attachments: 1, csatComments: 1, participations: 0, channelInboundMime: 1, 'redacted.tickets': 1 } });
    expect(consumer.once).toHaveBeenCalledTimes(1);
  });

  it('only acknowledges when the erasure already completed (a late redelivery)', async () => {
    const { job, deletion, commands, consumer } = setup({ pattern: null, completed: true });
    await job.handle(requested(), 'tickets:tickets.erase-contact');
    expect(deletion.eraseAuthoredMessages).not.toHaveBeenCalled();
    expect(commands.execute).not.toHaveBeenCalled();
    expect(consumer.once).toHaveBeenCalledTimes(1);
  });
});
