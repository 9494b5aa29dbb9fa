import { jest } from '@jest/globals';
import type { QueueRegistry } from '@switchboard/platform';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { ChannelSecretsService } from '../../adapters/channel-secrets.service';
import type { ChannelMetrics } from '../../channel-metrics';
import type { ChannelsConfig } from '../../channels.registration';
import { ChannelsRepository, type ChannelRecord } from '../../repositories/channels.repository';
import { AcceptChatInboundCommand } from './accept-chat-inbound.command';
import { AcceptChatInboundHandler } from './accept-chat-inbound.handler';

const SECRET = 'whsec_telegram-secret';
const CHANNEL_ID = '44444444-4444-4444-8444-444444444444';
const config = { CHANNELS_INBOUND_MAX_BYTES: 10_000, CHANNELS_INBOUND_SENDER_PER_MINUTE: 60, CHANNELS_INBOUND_SENDER_BURST: 5 } as ChannelsConfig;
const update = { update_id: 901, message: { message_id: 7, date: 1, chat: { id: 4242, type: 'private' }, from: { id: 4242, is_bot: false, first_name: 'Pat' }, text: 'Hello there\nsecond line' } };

function setup(channel: Partial<ChannelRecord> | null = {}, existing?: { id: string; notBefore: string }) {
  const record = channel && ({ tenantId: testContext().tenantId, id: CHANNEL_ID, kind: 'telegram', status: 'active', configKeyId: 'k', config: Buffer.alloc(0), ...channel } as ChannelRecord);
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
  const outcomes: string[] = [];
  const metrics = { webhook: (channelId: string | null, _kind: string, outcome: string) => outcomes.push(`${channelId ?? 'unknown'}:${outcome}`) };
  const handler = new AcceptChatInboundHandler(tx as never, channels as unknown as ChannelsRepository, secrets as unknown as ChannelSecretsService, queues as unknown as QueueRegistry, metrics as unknown as ChannelMetrics, config);
  const accept = (body: unknown, token: string | null = SECRET) => handler.execute(new AcceptChatInboundCommand(CHANNEL_ID, 'telegram', body, token ?? undefined));
  return { accept, channels, queues, outcomes };
}

describe('AcceptChatInboundHandler (Telegram)', () => {
  it('stores an update once per update_id, paced by its chat, and queues it', async () => {
    const { accept, channels, queues, outcomes } = setup();
    expect(await accept(update)).toEqual({ id: 'inbound-1', duplicate: false, ignored: false });
    expect(channels.pace).toHaveBeenCalledWith(expect.anything(), CHANNEL_ID, '4242', 1000, 5);
    expect(channels.insertInbound).toHaveBeenCalledWith(expect.anything(), expect.objectContaining({ externalId: 'telegram:901', sender: '4242', subject: 'Hello there', receivedVia: 'webhook', raw: Buffer.from(JSON.stringify(update)) }));
    expect(queues.schedule).toHaveBeenCalledWith(expect.objectContaining({ name: 'channels.process-inbound' }), { tenantId: testContext().tenantId, inboundId: 'inbound-1' }, expect.objectContaining({ key: 'inbound-1' }));
    expect(outcomes).toEqual([`${CHANNEL_ID}:accepted`]);
  });

  it('answers a replay as a duplicate without storing or queueing anything', async () => {
    const { accept, channels, queues, outcomes } = setup({}, { id: 'inbound-0', notBefore: '2026-12-07T09:00:00.000Z' });
    expect(await accept(update)).toEqual({ id: 'inbound-0', duplicate: true, ignored: false });
    expect(channels.insertInbound).not.toHaveBeenCalled();
    expect(queues.schedule).not.toHaveBeenCalled();
    expect(outcomes).toEqual([`${CHANNEL_ID}:duplicate`]);
  });

  it('refuses a missing or wrong secret, an unknown channel and another kind’s channel alike (401), counting them', async () => {
    const { accept, channels, outcomes } = setup();
    await expect(accept(update, null)).rejects.toMatchObject({ problem: { status: 401, type: 'webhook-unauthorized' } });
    await expect(accept(update, 'whsec_other')).rejects.toMatchObject({ problem: { status: 401 } });
    await expect(setup(null).accept(update)).rejects.toMatchObject({ problem: { status: 401 } });
    await expect(setup({ kind: 'email' }).accept(update)).rejects.toMatchObject({ problem: { status: 401 } });
    expect(channels.insertInbound).not.toHaveBeenCalled();
    expect(outcomes).toEqual([`${CHANNEL_ID}:unauthorized`, `${CHANNEL_ID}:unauthorized`]);
  });

  it('a malformed update is 400 (parse_error); one without a message is acknowledged and not stored; a disabled channel is 409', async () => {
    const { accept, channels, outcomes } = setup();
    await expect(accept({ message: update.message })).rejects.toMatchObject({ problem: { status: 400 } });
    expect(await accept({ update_id: 5, callback_query: {} })).toEqual({ id: null, duplicate: false, ignored: true });
    expect(channels.insertInbound).not.toHaveBeenCalled();
    expect(outcomes).toEqual([`${CHANNEL_ID}:parse_error`, `${CHANNEL_ID}:ignored`]);
    await expect(setup({ status: 'disabled' }).accept(update)).rejects.toMatchObject({ problem: { status: 409, type: 'channel-disabled' } });
  });
});
