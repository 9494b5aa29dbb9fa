import { jest } from '@jest/globals';
import type { CommandBus } from '@nestjs/cqrs';
import { RecordContactAttributesCommand } from '@switchboard/customers';
import type { EnvelopeOf } from '@switchboard/platform';
import { RecordingTenantTx, testContext } from '@switchboard/platform/testing';
import { JobClosedOut } from '../field-service.context';
import { RecordCloseOutAttributesJob } from './record-close-out-attributes.job';

const closedOut = (attributes: EnvelopeOf<typeof JobClosedOut>['payload']['attributes']): EnvelopeOf<typeof JobClosedOut> => ({
  id: 'event-1',
  tenantId: testContext().tenantId,
  type: JobClosedOut.type,
  eventVersion: 1,
  aggregateType: 'field_service_job',
  aggregateId: 'j1',
  payload: { contactId: 'c1', durationMinutes: 60, attributes, dropped: [], nextAction: { kind: 'none' }, confirmedBy: 'tech-1', confirmedAt: '2026-12-01T08:00:00.000Z' },
  occurredAt: '2026-12-01T08:00:00.000Z',
  actorId: 'tech-1',
  correlationId: null,
});

describe('RecordCloseOutAttributesJob', () => {
  it('sends the confirmed values with their provenance to the customers context, in the receipt’s transaction', async () => {
    const execute = jest.fn(async () => []);
    const tx = new RecordingTenantTx(testContext({ actorId: 'tech-1' }));
    await new RecordCloseOutAttributesJob({ execute } as unknown as CommandBus).handle(
      closedOut([{ key: 'pets', value: 'a dog', action: 'confirm', aiValue: 'a dog', aiConfidence: 0.9 }]),
      tx,
    );
    expect(execute).toHaveBeenCalledTimes(1);
    const command = (execute.mock.calls[0] as unknown[])[0] as RecordContactAttributesCommand;
    expect(command).toBeInstanceOf(RecordContactAttributesCommand);
    expect(command.context).toBe(tx.context);
    expect(command.contactId).toBe('c1');
    expect(command.attributes).toEqual([{ key: 'pets', value: 'a dog', aiValue: 'a dog', aiConfidence: 0.9 }]);
    expect(command.provenance).toEqual({ jobId: 'j1', confirmedBy: 'tech-1', confirmedAt: '2026-12-01T08:00:00.000Z' });
  });

  it('sends nothing when every suggestion was dropped', async () => {
    const execute = jest.fn(async () => []);
    await new RecordCloseOutAttributesJob({ execute } as unknown as CommandBus).handle(closedOut([]), new RecordingTenantTx(testContext()));
    expect(execute).not.toHaveBeenCalled();
  });
});
