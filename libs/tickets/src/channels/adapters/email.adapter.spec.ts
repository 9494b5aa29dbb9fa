import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { outboundMessageId, replyToAddress, threadIndexRoot } from '../domain/email-threading';
import { EmailAdapter, toDeliveryError } from './email.adapter';

const TOKEN = 'abcdefghij234567';
const CHANNEL = 'support@acme.example';
const OUTBOUND = outboundMessageId(TOKEN, '11111111-1111-4111-8111-111111111111', 'switchboard.localhost');

function fixture(name: string, vars: Record<string, string> = {}): Buffer {
  const all: Record<string, string> = { CHANNEL_ADDRESS: CHANNEL, SENDER: 'pat@customer.example', COLLEAGUE: 'sam@customer.example', BOUNCED: 'pat@customer.example', TOKEN, OUTBOUND_MESSAGE_ID: OUTBOUND, REPLY_TO: replyToAddress(CHANNEL, TOKEN), ...vars };
  return Buffer.from(readFileSync(join(process.cwd(), 'test/fixtures/mail', name), 'utf8').replace(/\{\{([A-Z_]+)\}\}/g, (_, k: string) => all[k] ?? ''));
}

const adapter = new EmailAdapter();
const parse = (name: string, own: string[] = [CHANNEL]) => adapter.parseInbound(fixture(name), { ownAddresses: own });

describe('EmailAdapter.parseInbound on real client shapes', () => {
  it('Gmail: a new message with its text, the sender, and both attachments (the handler sniffs them)', async () => {
    const m = await parse('gmail-new.eml');
    expect(m).toMatchObject({ externalId: '<caf=k9zq3vj1xgmail0001@mail.gmail.com>', from: { address: 'pat@customer.example', name: 'Pat Sender' }, subject: 'Heating makes a knocking noise', classification: 'message', threadKeys: [], tokens: [], conversationKey: null });
    expect(m.body).toContain('since yesterday our boiler makes a knocking noise');
    expect(m.body).toContain('Grüße');
    expect(m.attachments.map((a) => a.filename)).toEqual(['display.png', 'invoice.pdf.exe']);
  });

  it('Gmail reply: threads by In-Reply-To (our Message-ID, which carries the token) and drops the quoted history', async () => {
    const m = await parse('gmail-reply.eml');
    expect(m.threadKeys[0]).toBe(OUTBOUND.toLowerCase());
    expect(m.tokens).toEqual([TOKEN]);
    expect(m.body).toBe('Tuesday at 10 works for us.');
  });

  it('Apple Mail reply whose first message never arrived: the token in the reply-to address, the mobile footer and quote stripped', async () => {
    const m = await parse('apple-mail-reply.eml');
    expect(m.threadKeys).toEqual(['<never-arrived-0001@acme.example>']);
    expect(m.tokens).toEqual([TOKEN]);
    expect(m.body).toBe('One more thing: the noise is loudest in the morning.');
  });

  it('forwarded mail: the subject token, and the forwarded content kept', async () => {
    const m = await parse('forwarded.eml');
    expect(m.tokens).toEqual([TOKEN]);
    expect(m.from.address).toBe('sam@customer.example');
    expect(m.body).toContain('Forwarded message');
    expect(m.body).toContain('the service log is in the cellar');
  });

  it('Outlook: no References, only a Thread-Index whose 22-byte root the reply keeps; the "From: … Sent:" block stripped', async () => {
    const first = await parse('outlook-first.eml');
    const reply = await parse('outlook-reply.eml');
    expect(first.conversationKey).toBe('AdtGq3Y1k2hT4b8mQ164mZ1p3s0x9A==');
    expect(reply.conversationKey).toBe(first.conversationKey);
    expect(reply.threadKeys).toEqual([]);
    expect(reply.body).toBe('I found the delivery note, it says one visit on 3 December.');
    expect(threadIndexRoot('AAAA')).toBeNull();
  });

  it('a DSN is a bounce reporting our Message-ID, the failed recipient and the diagnostic', async () => {
    const m = await parse('dsn-bounce.eml');
    expect(m.classification).toBe('bounce');
    expect(m.report).toEqual({ messageIds: [OUTBOUND.toLowerCase()], recipients: ['pat@customer.example'], action: 'failed', reason: expect.stringContaining('550 5.1.1') });
    expect(m.attachments).toEqual([]);
  });

  it('an out-of-office is an auto-reply (Auto-Submitted, X-Autoreply, Precedence)', async () => {
    expect((await parse('out-of-office.eml')).classification).toBe('auto_reply');
  });

  it('mail from the tenant’s own address is a loop, +tag or not', async () => {
    const m = await adapter.parseInbound(fixture('gmail-new.eml', { SENDER: 'support+t_abc@acme.example' }), { ownAddresses: [CHANNEL] });
    expect(m.classification).toBe('loop');
  });
});

describe('toDeliveryError', () => {
  it('5xx is permanent, 4xx retries with the server’s hint, connection errors retry', () => {
    expect(toDeliveryError({ responseCode: 550, response: '550 5.1.1 User unknown' })).toMatchObject({ permanent: true, retryAfterMs: null });
    expect(toDeliveryError({ responseCode: 451, response: '451 4.7.1 Greylisted, try again in 120 seconds' })).toMatchObject({ permanent: false, retryAfterMs: 120_000 });
    expect(toDeliveryError({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:1' })).toMatchObject({ permanent: false });
    expect(toDeliveryError({ code: 'EAUTH', message: 'Invalid login' })).toMatchObject({ permanent: true });
  });
});
