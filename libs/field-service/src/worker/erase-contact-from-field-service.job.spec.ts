import { jest } from '@jest/globals';
import type { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ContactErasureRequested, RecordErasureStepCommand } from '@switchboard/customers';
import { REDACTION_BATCH, type EnvelopeOf, type EventConsumer } from '@switchboard/platform';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import { FIELD_SERVICE_REDACTABLE, type FieldServiceErasureRepository } from '../repositories/erasure.repository';
import { EraseContactFromFieldServiceJob } from './erase-contact-from-field-service.job';

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

describe('EraseContactFromFieldServiceJob', () => {
  it('cancels pending messages, clears recipients, erases leads, redacts every table until a batch comes back short, reports and acknowledges', async () => {
    let jobsLeft = REDACTION_BATCH + 1;
    const repository = {
      cancelPendingMessages: jest.fn(async () => 1),
      clearRecipients: jest.fn(async () => 2),
      eraseLeads: jest.fn(async () => 1),
      redact: jest.fn(async (_tx: unknown, spec: { table: string }) => {
        if (spec.table !== 'fs_jobs') return 0;
        const n = Math.min(jobsLeft, REDACTION_BATCH);
        jobsLeft -= n;
        return n;
      }),
    };
    const commands = { execute: jest.fn(async (_command: unknown) => undefined) };
    const consumer = { once: jest.fn(async () => true) };
    const queries = { execute: jest.fn(async () => ({ contactId: CONTACT_ID, pattern: '(ada)', completed: false })) };
    const job = new EraseContactFromFieldServiceJob(new FakeTenantTransaction() as never, consumer as unknown as EventConsumer, queries as unknown as QueryBus, commands as unknown as CommandBus, repository as unknown as FieldServiceErasureRepository);
    await job.handle(requested(), 'field-service:field_service.erase-contact');
    expect(repository.redact.mock.calls.filter((c) => c[1].table === 'fs_jobs')).toHaveLength(2);
    expect(new Set(repository.redact.mock.calls.map((c) => c[1].table))).toEqual(new Set(FIELD_SERVICE_REDACTABLE.map((t) => t.table)));
    const report = commands.execute.mock.calls[0][0] as RecordErasureStepCommand;
    expect(report).toBeInstanceOf(RecordErasureStepCommand);
    expect(report).toMatchObject({ step: 'field_service', counts: { messagesCancelled: 1, messageRecipients: 2, leads: 1, 'redacted.fs_jobs': REDACTION_BATCH + 1, 'redacted.fs_job_notes': 0 } });
    expect(consumer.once).toHaveBeenCalledTimes(1);
  });
});
