import { jest } from '@jest/globals';
import type { PlatformRecordsRedactor } from '@switchboard/platform';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { ContactErasuresRepository, ErasureView } from '../../repositories/contact-erasures.repository';
import { RecordErasureStepCommand } from './record-erasure-step.command';
import { RecordErasureStepHandler } from './record-erasure-step.handler';

const ERASURE_ID = '22222222-2222-4222-8222-222222222222';
const CONTACT_ID = '11111111-1111-4111-8111-111111111111';
const done = (counts: Record<string, number>) => ({ completedAt: '2026-12-06T10:00:00.000Z', counts });

function setup(steps: ErasureView['steps'], status: ErasureView['status'] = 'in_progress') {
  const tx = new FakeTenantTransaction();
  const state = { steps: { ...steps }, status };
  const erasures = {
    find: jest.fn(async () => ({ id: ERASURE_ID, contactId: CONTACT_ID, status: state.status, requestedBy: null, requestedAt: '', completedAt: null, steps: { ...state.steps }, pattern: '(ada)' })),
    recordStep: jest.fn(async (_tx: unknown, _id: string, step: string, counts: Record<string, number>) => void ((state.steps as Record<string, unknown>)[step] = done(counts))),
    complete: jest.fn(async () => void (state.status = 'completed')),
  };
  const redactor = { redact: jest.fn(async () => ({ outbox: 4, audit_logs: 2, idempotency_keys: 0 })) };
  const handler = new RecordErasureStepHandler(tx as never, erasures as unknown as ContactErasuresRepository, redactor as unknown as PlatformRecordsRedactor);
  return { tx, erasures, redactor, handler };
}

describe('RecordErasureStepHandler', () => {
  it('records a step and waits while another context is still working', async () => {
    const { erasures, redactor, tx, handler } = setup({ customers: done({ contacts: 1 }) });
    await handler.execute(new RecordErasureStepCommand(testContext(), ERASURE_ID, 'tickets', { messages: 2 }));
    expect(erasures.recordStep).toHaveBeenCalledWith(expect.anything(), ERASURE_ID, 'tickets', { messages: 2 });
    expect(redactor.redact).not.toHaveBeenCalled();
    expect(erasures.complete).not.toHaveBeenCalled();
    expect(tx.audits).toEqual([]);
  });

  it('with the last context in, redacts the platform’s records, completes the erasure and audits the counts per context', async () => {
    const { erasures, redactor, tx, handler } = setup({ customers: done({ contacts: 1 }), tickets: done({ messages: 2 }), knowledge_base: done({}) });
    const context = testContext();
    await handler.execute(new RecordErasureStepCommand(context, ERASURE_ID, 'field_service', { leads: 1 }));
    expect(redactor.redact).toHaveBeenCalledWith(context, '(ada)');
    expect(erasures.complete).toHaveBeenCalledWith(expect.anything(), ERASURE_ID);
    expect(tx.audits).toEqual([
      {
        action: 'contact.erased',
        entityType: 'contact',
        entityId: CONTACT_ID,
        after: { erasureId: ERASURE_ID, counts: { customers: { contacts: 1 }, tickets: { messages: 2 }, knowledge_base: {}, field_service: { leads: 1 }, platform: { outbox: 4, audit_logs: 2, idempotency_keys: 0 } } },
      },
    ]);
  });

  it('does nothing for a completed erasure (a late redelivery)', async () => {
    const { erasures, redactor, handler } = setup({}, 'completed');
    await handler.execute(new RecordErasureStepCommand(testContext(), ERASURE_ID, 'tickets', {}));
    expect(erasures.recordStep).not.toHaveBeenCalled();
    expect(redactor.redact).not.toHaveBeenCalled();
  });
});
