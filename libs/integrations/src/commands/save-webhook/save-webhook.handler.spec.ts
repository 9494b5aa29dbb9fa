import { jest } from '@jest/globals';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { WebhookSecrets } from '../../domain/webhook-secrets.service';
import type { IntegrationsConfig } from '../../integrations.context';
import type { WebhooksRepository } from '../../repositories/webhooks.repository';
import type { EndpointView } from '../../repositories/webhooks.sql';
import { SaveWebhookCommand, type CreatedWebhook } from './save-webhook.command';
import { SaveWebhookHandler } from './save-webhook.handler';

const context = testContext();

const anEndpoint = (over: Partial<EndpointView> = {}): EndpointView => ({
  id: 'e1',
  url: 'https://hooks.example.com/in',
  description: null,
  eventTypes: ['ticket.*'],
  active: true,
  disabledReason: null,
  secretHint: '…abcd (sha256:00000000)',
  previousSecretExpiresAt: null,
  consecutiveFailures: 0,
  failingSince: null,
  createdAt: '2026-12-07T00:00:00.000Z',
  updatedAt: '2026-12-07T00:00:00.000Z',
  version: 1,
  ...over,
});

function setup(existing?: EndpointView, count = 0) {
  const tx = new FakeTenantTransaction();
  const webhooks = {
    countEndpoints: jest.fn<WebhooksRepository['countEndpoints']>().mockResolvedValue(count),
    insertEndpoint: jest.fn<WebhooksRepository['insertEndpoint']>().mockImplementation(async (_tx, id, f) => anEndpoint({ id, ...f })),
    findEndpoint: jest.fn<WebhooksRepository['findEndpoint']>().mockResolvedValue(existing && { ...existing, secrets: { current: { keyId: 'db', blob: Buffer.alloc(1) }, previous: null } }),
    updateEndpoint: jest.fn<WebhooksRepository['updateEndpoint']>().mockImplementation(async (_tx, id, f) => anEndpoint({ id, ...f, version: 2 })),
  };
  const secrets = { ready: jest.fn(async () => undefined), seal: jest.fn(async () => ({ keyId: 'db', blob: Buffer.from('sealed') })) };
  const config = { WEBHOOKS_ALLOW_LOOPBACK_HTTP: false } as IntegrationsConfig;
  const handler = new SaveWebhookHandler(tx.asTenantTransaction(), webhooks as unknown as WebhooksRepository, secrets as unknown as WebhookSecrets, config);
  return { tx, webhooks, secrets, handler };
}

describe('SaveWebhookHandler', () => {
  it('creates an endpoint with a sealed whsec_ secret returned once, audited and announced without the secret', async () => {
    const { tx, webhooks, secrets, handler } = setup();
    const created = (await handler.execute(new SaveWebhookCommand(context, null, { url: 'https://hooks.example.com/in', eventTypes: ['ticket.*', 'ticket.*'] }))) as CreatedWebhook;
    expect(created.secret).toMatch(/^whsec_/);
    const [, id, fields] = webhooks.insertEndpoint.mock.calls[0]!;
    expect(fields).toEqual({ url: 'https://hooks.example.com/in', description: null, eventTypes: ['ticket.*'], active: true });
    expect(secrets.seal).toHaveBeenCalledWith(context.tenantId, id, created.secret);
    expect(tx.audits).toEqual([{ action: 'webhook_endpoint.created', entityType: 'webhook_endpoint', entityId: id, after: fields }]);
    expect(tx.emitted).toEqual([{ type: 'integrations.webhook_endpoint_created', aggregateId: id, payload: { endpoint: fields } }]);
    expect(JSON.stringify([tx.audits, tx.emitted])).not.toContain(created.secret);
  });

  it.each([
    ['http://hooks.example.com/in', /https/],
    ['https://127.0.0.1/in', /loopback/],
    ['https://10.1.2.3/in', /private/],
    ['ftp://hooks.example.com/in', /https/],
    ['nonsense', /not a URL/],
  ])('refuses %s with 422 before opening a transaction', async (url, message) => {
    const { tx, webhooks, handler } = setup();
    await expect(handler.execute(new SaveWebhookCommand(context, null, { url, eventTypes: ['*'] }))).rejects.toMatchObject({ problem: { status: 422, errors: [{ field: 'url', message: expect.stringMatching(message) }] } });
    expect(webhooks.insertEndpoint).not.toHaveBeenCalled();
    expect(tx.events).toEqual([]);
  });

  it('refuses a 21st endpoint (409)', async () => {
    const { webhooks, handler } = setup(undefined, 20);
    await expect(handler.execute(new SaveWebhookCommand(context, null, { url: 'https://hooks.example.com/in', eventTypes: ['*'] }))).rejects.toMatchObject({ problem: { status: 409 } });
    expect(webhooks.insertEndpoint).not.toHaveBeenCalled();
  });

  it('changes what the input names, checks the version, and answers 404 for another tenant’s id', async () => {
    const { tx, webhooks, handler } = setup(anEndpoint());
    const after = (await handler.execute(new SaveWebhookCommand(context, 'e1', { active: false }, 1))) as EndpointView;
    expect(after).toMatchObject({ active: false, url: 'https://hooks.example.com/in', eventTypes: ['ticket.*'] });
    expect(tx.emitted[0]).toMatchObject({ type: 'integrations.webhook_endpoint_updated', aggregateId: 'e1' });
    await expect(handler.execute(new SaveWebhookCommand(context, 'e1', { active: true }, 7))).rejects.toMatchObject({ problem: { status: 412 } });
    webhooks.findEndpoint.mockResolvedValue(undefined);
    await expect(handler.execute(new SaveWebhookCommand(context, 'e9', { active: true }))).rejects.toMatchObject({ problem: { status: 404 } });
  });
});
