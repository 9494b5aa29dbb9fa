import { jest } from '@jest/globals';
import type { QueueRegistry } from '@switchboard/platform';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { ChannelsRepository, DeliveryView } from '../../repositories/channels.repository';
import { RetryDeliveryCommand } from './retry-delivery.command';
import { RetryDeliveryHandler } from './retry-delivery.handler';

const delivery = (status: DeliveryView['status']): DeliveryView => ({
  id: 'd1',
  channelId: 'c1',
  ticketId: 't1',
  ticketMessageId: 'm1',
  recipient: 'pat@customer.example',
  template: null,
  status,
  attempts: 3,
  nextAttemptAt: '2026-12-07T10:00:00.000Z',
  messageId: '<t_abc.d1@switchboard.localhost>',
  providerMessageId: null,
  error: status === 'failed' ? 'SMTP 550: user unknown' : null,
  sentAt: null,
  failedAt: null,
  createdAt: '2026-12-07T09:00:00.000Z',
  updatedAt: '2026-12-07T09:00:00.000Z',
});

function setup(current: DeliveryView | undefined) {
  const tx = new FakeTenantTransaction();
  const channels = {
    findDelivery: jest.fn(async () => current),
    settleDelivery: jest.fn(async () => ({ ...current!, status: 'queued' as const, attempts: 0, error: null })),
  };
  const queues = { schedule: jest.fn(async () => 'job') };
  const handler = new RetryDeliveryHandler(tx.asTenantTransaction(), channels as unknown as ChannelsRepository, queues as unknown as QueueRegistry);
  return { tx, channels, queues, retry: () => handler.execute(new RetryDeliveryCommand(testContext(), 'd1')) };
}

describe('RetryDeliveryHandler', () => {
  it('takes a failed delivery back into the queue from zero attempts, audited, with a console event, then queues the job', async () => {
    const { tx, channels, queues, retry } = setup(delivery('failed'));
    expect(await retry()).toMatchObject({ status: 'queued', attempts: 0 });
    expect(channels.settleDelivery).toHaveBeenCalledWith(expect.anything(), 'd1', ['failed'], expect.objectContaining({ status: 'queued', error: null }));
    expect(tx.audits).toEqual([{ action: 'channel.delivery_retried', entityType: 'channel_delivery', entityId: 'd1', before: { status: 'failed', error: 'SMTP 550: user unknown', attempts: 3 }, after: { status: 'queued', attempts: 0 } }]);
    expect(tx.emitted).toEqual([{ type: 'tickets.channel_delivery_updated', aggregateId: 't1', payload: { deliveryId: 'd1', messageId: 'm1', channelId: 'c1', status: 'queued', attempts: 0, error: null } }]);
    expect(queues.schedule).toHaveBeenCalledWith(expect.objectContaining({ name: 'channels.deliver' }), { tenantId: testContext().tenantId, deliveryId: 'd1' }, expect.objectContaining({ key: 'd1' }));
  });

  it('refuses a delivery that has not failed (409) and a missing one (404), changing nothing', async () => {
    for (const [current, status] of [[delivery('sent'), 409], [undefined, 404]] as const) {
      const { tx, channels, queues, retry } = setup(current);
      await expect(retry()).rejects.toMatchObject({ problem: { status } });
      expect(channels.settleDelivery).not.toHaveBeenCalled();
      expect(queues.schedule).not.toHaveBeenCalled();
      expect(tx.events).toEqual([]);
    }
  });
});
