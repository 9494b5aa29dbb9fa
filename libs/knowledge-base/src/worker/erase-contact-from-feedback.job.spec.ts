import { jest } from '@jest/globals';
import type { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ContactErasureRequested, RecordErasureStepCommand } from '@switchboard/customers';
import type { EnvelopeOf, EventConsumer, TenantTx } from '@switchboard/platform';
import { testContext } from '@switchboard/platform/testing';
import { EraseContactFromFeedbackJob } from './erase-contact-from-feedback.job';

const requested = (): EnvelopeOf<typeof ContactErasureRequested> => ({
  id: 'event-1',
  tenantId: testContext().tenantId,
  type: ContactErasureRequested.type,
  eventVersion: 1,
  aggregateType: 'contact',
  aggregateId: 'contact-1',
  payload: { erasureId: 'erasure-1', contactId: 'contact-1' },
  occurredAt: '2026-12-06T10:00:00.000Z',
  actorId: null,
  correlationId: null,
});

describe('EraseContactFromFeedbackJob', () => {
  it('redacts feedback comments of the tenant with the erasure’s pattern, reports the count and acknowledges', async () => {
    const query = jest.fn(async (_sql: string, _params: unknown[]) => [{ n: 2 }]);
    const tx = { run: async <T>(_c: unknown, work: (t: TenantTx) => Promise<T>) => work({ manager: { query }, tenantId: testContext().tenantId } as unknown as TenantTx) };
    const queries = { execute: jest.fn(async () => ({ contactId: 'contact-1', pattern: '(ada)', completed: false })) };
    const commands = { execute: jest.fn(async (_command: unknown) => undefined) };
    const consumer = { once: jest.fn(async () => true) };
    await new EraseContactFromFeedbackJob(tx as never, consumer as unknown as EventConsumer, queries as unknown as QueryBus, commands as unknown as CommandBus).handle(requested(), 'embeddings:kb.erase-contact');
    expect(query.mock.calls[0][0]).toContain('UPDATE kb_article_feedback SET comment = regexp_replace(comment, $2, $3');
    expect(query.mock.calls[0][1]).toEqual([testContext().tenantId, '(ada)', '[erased]']);
    const report = commands.execute.mock.calls[0][0] as RecordErasureStepCommand;
    expect(report).toMatchObject({ erasureId: 'erasure-1', step: 'knowledge_base', counts: { 'redacted.kb_article_feedback': 2 } });
    expect(consumer.once).toHaveBeenCalledTimes(1);
  });
});
