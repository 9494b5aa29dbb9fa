import { Readable } from 'node:stream';
import { DeliveryError, type OutboundMessage } from './channel-adapter';
import { readTelegramUpdate, TelegramAdapter, TelegramParseError, type TelegramConfig } from './telegram.adapter';

const TOKEN = '123456:AAtest_token_abcdefghijklmnop';
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

// lib.dom's and undici's Response types differ, so the stub answers any.
function config(answer: (url: string, init?: RequestInit) => any): TelegramConfig & { urls: string[] } {
  const urls: string[] = [];
  return {
    apiUrl: 'https://api.telegram.test/',
    botToken: TOKEN,
    maxFileBytes: 1000,
    retryAfterMaxMs: 60_000,
    urls,
    fetch: (async (input: string | URL | Request, init?: RequestInit) => {
      urls.push(String(input));
      return answer(String(input), init);
    }) as typeof fetch,
  };
}

const reply: OutboundMessage = { to: { address: '4242' }, subject: '', text: 'Hello', html: null, messageId: 'telegram:d1', inReplyTo: null, references: [], replyTo: null, threadIndex: null, attachments: [] };
const update = (message: Record<string, unknown>) => Buffer.from(JSON.stringify({ update_id: 77, message: { message_id: 5, date: 1, chat: { id: 4242, type: 'private' }, from: { id: 4242, is_bot: false, first_name: 'Pat', language_code: 'pt-br' }, ...message } }));

describe('readTelegramUpdate', () => {
  it('needs update_id; a message needs a chat id and message_id; other update kinds carry no message', () => {
    expect(() => readTelegramUpdate({})).toThrow(TelegramParseError);
    expect(() => readTelegramUpdate({ update_id: 'x' })).toThrow(TelegramParseError);
    expect(() => readTelegramUpdate({ update_id: 1, message: { message_id: 1, chat: {} } })).toThrow(TelegramParseError);
    expect(() => readTelegramUpdate({ update_id: 1, message: { message_id: 1, chat: { id: 2 }, photo: 'x' } })).toThrow(TelegramParseError);
    expect(readTelegramUpdate({ update_id: 9, edited_message: {} })).toEqual({ updateId: 9, message: null });
    expect(readTelegramUpdate({ update_id: 9, message: { message_id: 1, chat: { id: -100 }, text: 'hi' } }).message?.text).toBe('hi');
  });
});

describe('TelegramAdapter', () => {
  const adapter = new TelegramAdapter();

  it('reads text into a message from the chat, with the user’s identity and language', async () => {
    const m = await adapter.parseInbound(update({ text: 'My heating is broken\nsince Monday' }), { ownAddresses: [] });
    expect(m).toMatchObject({ externalId: 'telegram:77', from: { address: '4242', name: 'Pat' }, subject: 'My heating is broken', body: 'My heating is broken\nsince Monday', classification: 'message', chat: { channel: 'telegram', externalId: '4242', language: 'pt-br' } });
  });

  it('fetches the largest photo size under the limit through getFile, and notes a document over it', async () => {
    const c = config((url) => (url.includes('/getFile') ? json(200, { ok: true, result: { file_path: 'photos/p.jpg', file_size: 3 } }) : new Response(Buffer.from('abc'))));
    const m = await adapter.parseInbound(
      update({ caption: 'look', photo: [{ file_id: 'a', file_size: 10 }, { file_id: 'b', file_unique_id: 'ub', file_size: 900 }, { file_id: 'c', file_size: 5000 }], document: { file_id: 'd', file_name: 'big.pdf', file_size: 5000 } }),
      { ownAddresses: [], config: c },
    );
    expect(m.attachments).toEqual([{ filename: 'photo-ub.jpg', declaredType: 'image/jpeg', content: Buffer.from('abc') }]);
    expect(m.notes).toEqual(['The file big.pdf was larger than the size limit and was not kept.']);
    expect(c.urls).toEqual([`https://api.telegram.test/bot${TOKEN}/getFile`, `https://api.telegram.test/file/bot${TOKEN}/photos/p.jpg`]);
  });

  it('messages from bots are not customer messages', async () => {
    const m = await adapter.parseInbound(update({ text: 'beep', from: { id: 1, is_bot: true } }), { ownAddresses: [] });
    expect(m.classification).toBe('auto_reply');
  });

  it('sends with sendMessage and answers the chat and message id', async () => {
    let sent: unknown;
    const c = config((_url, init) => {
      sent = JSON.parse(String(init!.body));
      return json(200, { ok: true, result: { message_id: 31 } });
    });
    expect(await adapter.send(reply, c)).toEqual({ providerMessageId: '4242:31' });
    expect(sent).toEqual({ chat_id: '4242', text: 'Hello' });
  });

  it('429 retries after retry_after, capped; other 4xx are permanent; 5xx and network errors retry; the token never appears in an error', async () => {
    const fail = async (answer: () => any): Promise<DeliveryError> => adapter.send(reply, config(answer)).then(() => Promise.reject(new Error('sent')), (e: unknown) => e as DeliveryError);
    expect(await fail(() => json(429, { ok: false, error_code: 429, description: 'Too Many Requests', parameters: { retry_after: 7 } }))).toMatchObject({ permanent: false, retryAfterMs: 7000 });
    expect(await fail(() => json(429, { ok: false, error_code: 429, description: 'Too Many Requests', parameters: { retry_after: 86_400 } }))).toMatchObject({ permanent: false, retryAfterMs: 60_000 });
    expect(await fail(() => json(403, { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' }))).toMatchObject({ permanent: true, message: expect.stringContaining('blocked') });
    expect(await fail(() => json(502, { ok: false, error_code: 502, description: 'Bad Gateway' }))).toMatchObject({ permanent: false });
    expect(await fail(() => new Response('<html>', { status: 502 }))).toMatchObject({ permanent: false });
    const network = await fail(() => Promise.reject(new Error(`connect ECONNREFUSED for /bot${TOKEN}/sendMessage`)));
    expect(network).toMatchObject({ permanent: false });
    expect(network.message).not.toContain(TOKEN);
    const refused = await fail(() => Promise.reject(Object.assign(new Error('host is a loopback address'), { code: 'OUTBOUND_REFUSED' })));
    expect(refused).toMatchObject({ permanent: true });
  });

  it('sends files after the text (photos with sendPhoto, others with sendDocument, multipart), skips parts an earlier attempt sent, and records each', async () => {
    const methods: string[] = [];
    const uploads: { field: string; name: string; type: string; bytes: number }[] = [];
    let id = 40;
    const c = config(async (url, init) => {
      methods.push(url.split('/').at(-1)!);
      if (init!.body instanceof FormData) {
        for (const [field, value] of init!.body.entries()) if (typeof value !== 'string') uploads.push({ field, name: value.name, type: value.type, bytes: value.size });
        expect(init!.body.get('chat_id')).toBe('4242');
      }
      return json(200, { ok: true, result: { message_id: id++ } });
    });
    const file = (key: string, filename: string, contentType: string, bytes: number) => ({ key, filename, contentType, open: async () => Readable.from([Buffer.alloc(bytes, 1)]) });
    const recorded: [string, string][] = [];
    const message: OutboundMessage = {
      ...reply,
      attachments: [file('a/photo', 'plan.png', 'image/png', 10), file('a/pdf', 'offer.pdf', 'application/pdf', 20), file('a/svg', 'logo.svg', 'image/svg+xml', 5)],
      parts: { sent: { text: '4242:7', 'file:a/photo': '4242:8' }, record: async (part, providerId) => void recorded.push([part, providerId]) },
    };
    expect(await adapter.send(message, c)).toEqual({ providerMessageId: '4242:7' });
    expect(methods).toEqual(['sendDocument', 'sendDocument']);
    expect(uploads).toEqual([
      { field: 'document', name: 'offer.pdf', type: 'application/pdf', bytes: 20 },
      { field: 'document', name: 'logo.svg', type: 'image/svg+xml', bytes: 5 },
    ]);
    expect(recorded).toEqual([['file:a/pdf', '4242:40'], ['file:a/svg', '4242:41']]);

    methods.length = 0;
    const fresh = await adapter.send({ ...message, parts: { sent: {}, record: async () => undefined } }, c);
    expect(methods).toEqual(['sendMessage', 'sendPhoto', 'sendDocument', 'sendDocument']);
    expect(fresh).toEqual({ providerMessageId: '4242:42' });
  });

  it('a 429 on a file stops the send there with the retry hint; the parts before it are already recorded', async () => {
    const recorded: string[] = [];
    let calls = 0;
    const c = config(() => (++calls === 2 ? json(429, { ok: false, error_code: 429, description: 'Too Many Requests', parameters: { retry_after: 3 } }) : json(200, { ok: true, result: { message_id: calls } })));
    const message: OutboundMessage = { ...reply, attachments: [{ key: 'k', filename: 'a.pdf', contentType: 'application/pdf', open: async () => Readable.from([Buffer.from('%PDF')]) }], parts: { sent: {}, record: async (part) => void recorded.push(part) } };
    await expect(adapter.send(message, c)).rejects.toMatchObject({ permanent: false, retryAfterMs: 3000 });
    expect(recorded).toEqual(['text']);
  });
});
