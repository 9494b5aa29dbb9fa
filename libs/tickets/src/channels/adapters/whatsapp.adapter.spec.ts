import { DeliveryError, type OutboundMessage } from './channel-adapter';
import { readWhatsAppWebhook, WhatsAppAdapter, WhatsAppParseError, type WhatsAppConfig } from './whatsapp.adapter';

const TOKEN = 'EAAGtest_access_token_123';
const json = (status: number, body: unknown, headers: Record<string, string> = {}) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
// lib.dom's and undici's Response types differ, so the stub answers any.
const config = (answer: (url: string, init?: RequestInit) => any): WhatsAppConfig => ({
  apiUrl: 'https://graph.test/v21.0',
  accessToken: TOKEN,
  phoneNumberId: '1055',
  maxFileBytes: 1000,
  retryAfterMaxMs: 60_000,
  fetch: (async (input: string | URL | Request, init?: RequestInit) => answer(String(input), init)) as typeof fetch,
});
const reply: OutboundMessage = { to: { address: '5511999' }, subject: '', text: 'Olá', html: null, messageId: 'whatsapp:d1', inReplyTo: null, references: [], replyTo: null, threadIndex: null, attachments: [] };

const webhook = (value: Record<string, unknown>) => ({ object: 'whatsapp_business_account', entry: [{ id: 'waba', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { phone_number_id: '1055' }, ...value } }] }] });

describe('readWhatsAppWebhook', () => {
  it('reads messages with their sender’s profile name, and statuses with the failure reason', () => {
    const parsed = readWhatsAppWebhook(
      webhook({
        contacts: [{ profile: { name: 'Kim' }, wa_id: '5511999' }],
        messages: [{ from: '5511999', id: 'wamid.1', timestamp: '1', type: 'text', text: { body: 'Oi' } }],
        statuses: [{ id: 'wamid.9', status: 'failed', recipient_id: '5511999', errors: [{ code: 131026, title: 'Message undeliverable' }] }],
      }),
    );
    expect(parsed.messages).toEqual([{ wamid: 'wamid.1', from: '5511999', name: 'Kim', phoneNumberId: '1055', message: expect.objectContaining({ type: 'text' }) }]);
    expect(parsed.statuses).toEqual([{ wamid: 'wamid.9', status: 'failed', recipient: '5511999', phoneNumberId: '1055', error: 'WhatsApp 131026: Message undeliverable' }]);
  });

  it('refuses what is not a WhatsApp Business Account webhook, and malformed items', () => {
    expect(() => readWhatsAppWebhook({ object: 'page', entry: [] })).toThrow(WhatsAppParseError);
    expect(() => readWhatsAppWebhook(webhook({ messages: [{ id: 'x', type: 'text' }] }))).toThrow(WhatsAppParseError);
    expect(() => readWhatsAppWebhook(webhook({ statuses: [{ id: 'x', status: 'seen' }] }))).toThrow(WhatsAppParseError);
    expect(readWhatsAppWebhook({ object: 'whatsapp_business_account', entry: [{ changes: [{ field: 'account_update', value: {} }] }] })).toEqual({ messages: [], statuses: [] });
  });
});

describe('WhatsAppAdapter.send', () => {
  const adapter = new WhatsAppAdapter();
  const fail = async (answer: () => any): Promise<DeliveryError> => adapter.send(reply, config(answer)).then(() => Promise.reject(new Error('sent')), (e: unknown) => e as DeliveryError);

  it('sends text, or the template with its body parameters, and answers the wamid', async () => {
    const bodies: any[] = [];
    const c = config((_url, init) => {
      bodies.push(JSON.parse(String(init!.body)));
      return json(200, { messages: [{ id: 'wamid.OUT' }] });
    });
    expect(await adapter.send(reply, c)).toEqual({ providerMessageId: 'wamid.OUT' });
    await adapter.send({ ...reply, template: { name: 'follow_up', language: 'pt_BR', parameters: ['Kim'] } }, c);
    expect(bodies[0]).toMatchObject({ to: '5511999', type: 'text', text: { body: 'Olá' } });
    expect(bodies[1]).toMatchObject({ type: 'template', template: { name: 'follow_up', language: { code: 'pt_BR' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'Kim' }] }] } });
  });

  it('rate limits and 5xx retry (after Retry-After, capped); 131047 and other 4xx are permanent; the token never shows', async () => {
    expect(await fail(() => json(429, { error: { message: 'rate', code: 130429 } }, { 'retry-after': '30' }))).toMatchObject({ permanent: false, retryAfterMs: 30_000 });
    expect(await fail(() => json(400, { error: { message: 'throttled', code: 80007 } }))).toMatchObject({ permanent: false });
    expect(await fail(() => json(503, { error: { message: 'down', code: 2 } }, { 'retry-after': '99999' }))).toMatchObject({ permanent: false, retryAfterMs: 60_000 });
    expect(await fail(() => json(400, { error: { message: 'Re-engagement message', code: 131047 } }))).toMatchObject({ permanent: true, message: expect.stringContaining('24 hours') });
    expect(await fail(() => json(401, { error: { message: 'Invalid OAuth access token', code: 190 } }))).toMatchObject({ permanent: true });
    const network = await fail(() => Promise.reject(new Error(`socket hang up Bearer ${TOKEN}`)));
    expect(network).toMatchObject({ permanent: false });
    expect(network.message).not.toContain(TOKEN);
  });
});
