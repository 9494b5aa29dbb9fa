import { jest } from '@jest/globals';
import type { QueryBus } from '@nestjs/cqrs';
import type { Mailer, QueueRegistry } from '@switchboard/platform';
import { FakeTenantTransaction } from '@switchboard/platform/testing';
import type { WebhookSecrets } from '../../domain/webhook-secrets.service';
import type { SendResult, WebhookSender } from '../../domain/webhook-sender';
import type { IntegrationsConfig } from '../../integrations.context';
import type { WebhooksRepository } from '../../repositories/webhooks.repository';
import type { DeliveryWork, EndpointView, SealedSecrets } from '../../repositories/webhooks.sql';
import { DeliverWebhookCommand } from './deliver-webhook.command';
import { DeliverWebhookHandler } from './deliver-webhook.handler';

const delivery: DeliveryWork = {
  id: 'd1',
  endpointId: 'e1',
  eventId: 'ev1',
  eventType: 'ticket.created',
  status: 'sending',
  attempts: 1,
  responseStatus: null,
  responseBody: null,
  durationMs: null,
  error: null,
  nextAttemptAt: null,
  lastAttemptAt: null,
  createdAt: new Date().toISOString(),
  body: '{"id":"ev1"}',
  windowStartedAt: new Date(),
};
const endpoint = { id: 'e1', url: 'https://hooks.example.com/in', active: true, secrets: {} as SealedSecrets } as EndpointView & { secrets: SealedSecrets };
const answered = (over: Partial<SendResult>): SendResult => ({ ok: false, status: 500, body: 'boom', durationMs: 12, error: 'answered 500', retryAfterMs: null, refused: false, ...over });

function setup(result: SendResult, streak = { consecutiveFailures: 1, failingSince: new Date(), active: true }) {
  const tx = new FakeTenantTransaction();
  const webhooks = {
    claimDelivery: jest.fn<WebhooksRepository['claimDelivery']>().mockResolvedValue(delivery),
    findEndpoint: jest.fn<WebhooksRepository['findEndpoint']>().mockResolvedValue(endpoint),
    settleDelivery: jest.fn<WebhooksRepository['settleDelivery']>().mockImplementation(async (_tx, id, o) => ({ ...delivery, id, status: o.status })),
    recordSuccess: jest.fn<WebhooksRepository['recordSuccess']>().mockResolvedValue(undefined),
    recordFailure: jest.fn<WebhooksRepository['recordFailure']>().mockResolvedValue(streak),
    disable: jest.fn<WebhooksRepository['disable']>().mockResolvedValue(true),
    failPending: jest.fn<WebhooksRepository['failPending']>().mockResolvedValue(undefined),
    findDelivery: jest.fn<WebhooksRepository['findDelivery']>().mockResolvedValue(undefined),
  };
  const secrets = { ready: jest.fn(async () => undefined), open: jest.fn(async () => ['whsec_a']) };
  const sender = { send: jest.fn(async () => result) };
  const queues = { schedule: jest.fn(async () => 'job') };
  const queries = { execute: jest.fn(async () => ['owner@acme.test']) };
  const mailer = { send: jest.fn(async () => undefined) };
  const config = { WEBHOOKS_RETRY_BASE_MS: 1_000, WEBHOOKS_RETRY_MAX_DELAY_MS: 60_000, WEBHOOKS_DISABLE_AFTER_MS: 24 * 3_600_000 } as IntegrationsConfig;
  const handler = new DeliverWebhookHandler(
    tx.asTenantTransaction(),
    webhooks as unknown as WebhooksRepository,
    secrets as unknown as WebhookSecrets,
    sender as unknown as WebhookSender,
    queues as unknown as QueueRegistry,
    queries as unknown as QueryBus,
    mailer as Mailer,
    config,
  );
  return { tx, webhooks, sender, queues, mailer, run: () => handler.execute(new DeliverWebhookCommand('t1', 'd1')) };
}

describe('DeliverWebhookHandler', () => {
  it('signs the stored body with the delivery id, and a 2xx settles it and ends the failure streak', async () => {
    const { webhooks, sender, queues, run } = setup(answered({ ok: true, status: 200, error: null }));
    await run();
    expect(sender.send).toHaveBeenCalledWith('https://hooks.example.com/in', ['whsec_a'], { id: 'd1', eventType: 'ticket.created', body: '{"id":"ev1"}' });
    expect(webhooks.settleDelivery.mock.calls[0]![2]).toMatchObject({ status: 'succeeded', responseStatus: 200, nextAttemptAt: null });
    expect(webhooks.recordSuccess).toHaveBeenCalled();
    expect(queues.schedule).not.toHaveBeenCalled();
  });

  it('a 500 schedules the retry at the backoff instant, the delivery pending', async () => {
    const { webhooks, queues, tx, run } = setup(answered({}));
    await run();
    const outcome = webhooks.settleDelivery.mock.calls[0]![2];
    expect(outcome.status).toBe('pending');
    expect(queues.schedule).toHaveBeenCalledWith(expect.objectContaining({ name: 'webhooks.deliver' }), { tenantId: 't1', deliveryId: 'd1' }, { key: 'd1', runAt: outcome.nextAttemptAt });
    expect(webhooks.disable).not.toHaveBeenCalled();
    expect(tx.events).toEqual([]);
  });

  it('a 410 disables the endpoint, records why, and mails the owners after commit', async () => {
    const { webhooks, queues, mailer, tx, run } = setup(answered({ status: 410, error: 'answered 410' }));
    await run();
    expect(webhooks.settleDelivery.mock.calls[0]![2]).toMatchObject({ status: 'failed', responseStatus: 410 });
    expect(webhooks.disable).toHaveBeenCalledWith(expect.anything(), 'e1', expect.stringMatching(/410/));
    expect(tx.emitted).toEqual([{ type: 'integrations.webhook_endpoint_disabled', aggregateId: 'e1', payload: { reason: expect.stringMatching(/410/) } }]);
    expect(tx.audits).toMatchObject([{ action: 'webhook_endpoint.disabled', entityId: 'e1' }]);
    expect(mailer.send).toHaveBeenCalledWith(expect.objectContaining({ to: 'owner@acme.test', text: expect.stringContaining('https://hooks.example.com/in') }));
    expect(queues.schedule).not.toHaveBeenCalled();
  });

  it('failures lasting the disable window disable the endpoint too', async () => {
    const { webhooks, mailer, run } = setup(answered({}), { consecutiveFailures: 40, failingSince: new Date(Date.now() - 25 * 3_600_000), active: true });
    await run();
    expect(webhooks.disable).toHaveBeenCalledWith(expect.anything(), 'e1', expect.stringMatching(/40 in a row/));
    expect(mailer.send).toHaveBeenCalledTimes(1);
  });

  it('does nothing for a delivery that is not pending (a duplicate job)', async () => {
    const { webhooks, sender, run } = setup(answered({}));
    webhooks.claimDelivery.mockResolvedValue(undefined);
    expect(await run()).toBeUndefined();
    expect(sender.send).not.toHaveBeenCalled();
  });
});
