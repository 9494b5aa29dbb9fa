import { createHmac } from 'node:crypto';
import { jest } from '@jest/globals';
import type { QueueRegistry } from '@switchboard/platform';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { ChannelSecretsService } from '../../adapters/channel-secrets.service';
import type { ChannelsConfig } from '../../channels.registration';
import { ChannelsRepository, type ChannelRecord } from '../../repositories/channels.repository';
import { AcceptInboundCommand, type InboundAuth } from './accept-inbound.command';
import { AcceptInboundHandler } from './accept-inbound.handler';

const SECRET = 'whsec_test-secret';
const CHANNEL_ID = '33333333-3333-4333-8333-333333333333';
const RAW = Buffer.from('From: Pat <pat@customer.example>\r\nTo: support@acme.example\r\nSubject: Hi\r\nMessage-ID: <m1@customer.example>\r\n\r\nHello\r\n');
const config = { CHANNELS_INBOUND_MAX_BYTES: 10_000, CHANNELS_INBOUND_SENDER_PER_MINUTE: 60, CHANNELS_INBOUND_SENDER_BURST: 5, CHANNELS_WEBHOOK_TOLERANCE_SECONDS: 300 } as ChannelsConfig;

function setup(channel: Partial<ChannelRecord> | null = {}, existing?: { id: string; notBefore: string }) {
  const record = channel && ({ tenantId: testContext().tenantId, id: CHANNEL_ID, kind: 'email', status: 'active', configKeyId: 'k', config: Buffer.alloc(0), ...channel } as ChannelRecord);
  jest.spyOn(ChannelsRepository, 'routeById').mockResolvedValue(record ?? undefined);
  const fake = new FakeTenantTransaction();
  const tx = { run: fake.run.bind(fake), runAsSystem: async (work: (m: never) => Promise<unknown>) => work({} as never) };
  const notBefore = new Date('2026-12-07T10:00:00.000Z');
  const channels = {
    findInboundByExternalId: jest.fn(async () => existing && { ...existing }),
    pace: jest.fn(async () => notBefore),
    insertInbound: jest.fn(async () => ({ id: 'inbound-1', notBefore: notBefore.toISOString() })),
  };
  const secrets = { open: jest.fn(async () => ({ webhookSecret: SECRET })) };
  const queues = { schedule: jest.fn(async () => 'job') };
  const handler = new AcceptInboundHandler(tx as never, channels as unknown as ChannelsRepository, secrets as unknown as ChannelSecretsService, queues as unknown as QueueRegistry, config);
  const accept = (auth: InboundAuth, raw = RAW) => handler.execute(new AcceptInboundCommand(CHANNEL_ID, raw, 'webhook', auth));
  return { accept, channels, queues };
}

const sign = (t: number, secret = SECRET, raw = RAW) => createHmac('sha256', secret).update(`${t}.`).update(raw).digest('hex');
const now = () => Math.floor(Date.now() / 1000);

describe('AcceptInboundHandler', () => {
  it('stores a correctly signed message paced by its sender, then queues it for its instant', async () => {
    const { accept, channels, queues } = setup();
    const t = now();
    expect(await accept({ kind: 'signature', timestamp: String(t), signature: sign(t) })).toEqual({ id: 'inbound-1', duplicate: false, notBefore: '2026-12-07T10:00:00.000Z' });
    expect(channels.pace).toHaveBeenCalledWith(expect.anything(), CHANNEL_ID, 'pat@customer.example', 1000, 5);
    expect(channels.insertInbound).toHaveBeenCalledWith(expect.anything(), expect.objectContaining({ externalId: '<m1@customer.example>', sender: 'pat@customer.example', subject: 'Hi', receivedVia: 'webhook' }));
    expect(queues.schedule).toHaveBeenCalledWith(expect.objectContaining({ name: 'channels.process-inbound' }), { tenantId: testContext().tenantId, inboundId: 'inbound-1' }, { key: 'inbound-1', runAt: new Date('2026-12-07T10:00:00.000Z') });
  });

  it('refuses a wrong token, a signature by another key, a tampered body and a stale timestamp with 401, storing nothing', async () => {
    const { accept, channels } = setup();
    const t = now();
    await expect(accept({ kind: 'token', token: 'whsec_other' })).rejects.toMatchObject({ problem: { status: 401, type: 'webhook-unauthorized' } });
    await expect(accept({ kind: 'signature', timestamp: String(t), signature: sign(t, 'whsec_other') })).rejects.toMatchObject({ problem: { status: 401 } });
    await expect(accept({ kind: 'signature', timestamp: String(t), signature: sign(t) }, Buffer.concat([RAW, Buffer.from('x')]))).rejects.toMatchObject({ problem: { status: 401 } });
    await expect(accept({ kind: 'signature', timestamp: String(t - 301), signature: sign(t - 301) })).rejects.toMatchObject({ problem: { status: 401, type: 'webhook-signature-expired' } });
    expect(channels.insertInbound).not.toHaveBeenCalled();
  });

  it('answers an unknown channel like a wrong secret, and a disabled one with 409', async () => {
    await expect(setup(null).accept({ kind: 'token', token: SECRET })).rejects.toMatchObject({ problem: { status: 401 } });
    await expect(setup({ status: 'disabled' }).accept({ kind: 'token', token: SECRET })).rejects.toMatchObject({ problem: { status: 409, type: 'channel-disabled' } });
  });

  it('stores a Message-ID once: a replay answers the first row and queues nothing', async () => {
    const { accept, channels, queues } = setup({}, { id: 'inbound-0', notBefore: '2026-12-07T09:00:00.000Z' });
    expect(await accept({ kind: 'token', token: SECRET })).toEqual({ id: 'inbound-0', duplicate: true, notBefore: '2026-12-07T09:00:00.000Z' });
    expect(channels.insertInbound).not.toHaveBeenCalled();
    expect(queues.schedule).not.toHaveBeenCalled();
  });

  it('refuses what is not MIME (400) and what is too large (413)', async () => {
    const { accept } = setup();
    await expect(accept({ kind: 'token', token: SECRET }, Buffer.from('hello'))).rejects.toMatchObject({ problem: { status: 400 } });
    await expect(accept({ kind: 'token', token: SECRET }, Buffer.concat([RAW, Buffer.alloc(10_000)]))).rejects.toMatchObject({ problem: { status: 413 } });
  });
});
