import { createHash, randomInt } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { simpleParser, type ParsedMail } from 'mailparser';
import { Client } from 'pg';
import { chromium } from 'playwright-core';
import { SMTPServer } from 'smtp-server';
import { asTenantRole, client, expectProblem, expectStatus, RANDOM_UUID, uniqueIp } from '../support/http';
import { fakeTelegram, telegramUpdates } from '../support/fake-telegram';
import { fakeWhatsApp, hubSignature, wamid, whatsappWebhooks } from '../support/fake-whatsapp';
import { freePort, startApi, startWorker, waitFor, type RunningApi } from '../support/processes';
import { connectAgent, connectError, readyAgent, type AgentClient } from '../support/sockets';
import { createTwoTenants, type TenantSession } from '../support/tenants';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(62), Buffer.from('PE\0\0'), Buffer.alloc(200)]);

/**
 * Chat channels end to end against a fake Telegram Bot API on loopback (the real adapter and the
 * platform's outbound client talk to it): channel configuration, the webhook's secret token,
 * update_id idempotency, tickets from text, photos and documents, replies through sendMessage with
 * retry_after honoured and capped, the dead-letter list, metrics, and tenant isolation.
 */
/** A local SMTP sink the email channel's real client delivers to. */
async function smtpSink() {
  const received: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData: (stream, _session, callback) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => void simpleParser(Buffer.concat(chunks)).then((mail) => (received.push(mail), callback(null, `Ok: queued as SINK${received.length}`))));
    },
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  return { port, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('channels: chat (Telegram, WhatsApp), contact form and message templates', () => {
  let api: RunningApi;
  let worker: Awaited<ReturnType<typeof startWorker>>;
  let tg: Awaited<ReturnType<typeof fakeTelegram>>;
  let wa: Awaited<ReturnType<typeof fakeWhatsApp>>;
  let sink: Awaited<ReturnType<typeof smtpSink>>;
  let acme: TenantSession;
  let globex: TenantSession;
  let c: ReturnType<typeof client>;
  const acmeBot = `${randomInt(100_000, 999_999)}:AAacmeBotToken_${randomInt(1e9, 9e9)}xyz`;
  const globexBot = `${randomInt(100_000, 999_999)}:AAglobexBotToken_${randomInt(1e9, 9e9)}xyz`;
  let acmeChannel: { id: string; webhookSecret: string };
  let globexChannel: { id: string; webhookSecret: string };
  const acmeWa = { accessToken: `EAAG${randomInt(1e9, 9e9)}acmeAccessTokenZZ`, appSecret: `acmeappsecret${randomInt(1e9, 9e9)}`, phoneNumberId: `10${randomInt(1e9, 9e9)}` };
  const globexWa = { accessToken: `EAAG${randomInt(1e9, 9e9)}globexAccessTokenZ`, appSecret: `globexappsecret${randomInt(1e9, 9e9)}`, phoneNumberId: `10${randomInt(1e9, 9e9)}` };
  const pat = { id: randomInt(10_000_000, 99_999_999), first_name: 'Pat', last_name: 'Ng', username: 'patng', language_code: 'en' };

  const common = {
    CHANNELS_ALLOW_PRIVATE_CHAT_API: 'true',
    CHANNELS_ALLOW_PRIVATE_SMTP: 'true',
    CHANNELS_DELIVERY_BASE_DELAY_MS: '200',
    CHANNELS_DELIVERY_MAX_DELAY_MS: '600000',
    CHANNELS_RETRY_AFTER_MAX_MS: '1000',
    CHANNELS_DELIVERY_MAX_ATTEMPTS: '3',
    CHANNELS_INBOUND_SENDER_PER_MINUTE: '600',
    RATE_LIMIT_IP_PER_MINUTE: '100000',
    RATE_LIMIT_WIDGET_PER_MINUTE: '40',
  };

  const hook = (channelId: string, body: unknown, secret?: string) =>
    c.post(`/v1/channels/${channelId}/inbound/telegram`, body, secret === undefined ? {} : { 'x-telegram-bot-api-secret-token': secret });
  const inboundRow = (t: TenantSession, id: string) =>
    waitFor(async () => {
      const row = (expectStatus(await c.get('/v1/channels/inbound?limit=100', t.headers('agent')), 200).data as any[]).find((i) => i.id === id);
      return row && ['processed', 'ignored', 'failed'].includes(row.status) ? row : undefined;
    }, `inbound ${id} processed`, 90_000);
  const messages = async (t: TenantSession, ticketId: string) => expectStatus(await c.get(`/v1/tickets/${ticketId}/messages?limit=100`, t.headers('agent')), 200).data as any[];
  const delivery = (t: TenantSession, messageId: string, status: string) =>
    waitFor(async () => {
      const d = (expectStatus(await c.get('/v1/channels/deliveries?limit=100', t.headers('agent')), 200).data as any[]).find((x) => x.ticketMessageId === messageId);
      return d && d.status === status ? d : undefined;
    }, `delivery of ${messageId} ${status}`, 30_000);

  beforeAll(async () => {
    tg = await fakeTelegram([acmeBot, globexBot]);
    wa = await fakeWhatsApp([acmeWa.accessToken, globexWa.accessToken]);
    sink = await smtpSink();
    const env = { ...common, CHANNELS_TELEGRAM_API_URL: tg.url, CHANNELS_WHATSAPP_API_URL: wa.url };
    api = await startApi(env);
    worker = await startWorker({ ...env, OUTBOX_POLL_MS: '50', SCHEDULE_OVERRIDES: JSON.stringify({ 'tickets.channels-sweep': { every: 1_000 } }) });
    c = client(api.url);
    [acme, globex] = await createTwoTenants(api.url);
  });
  afterAll(async () => {
    // Open visitor sockets would hold the api's graceful shutdown until its drain timeout.
    for (const v of visitors) v.close();
    await worker?.stop();
    await api?.stop();
    await tg?.close();
    await wa?.close();
    await sink?.close();
  });

  it('creates Telegram channels whose bot token and webhook secret are never returned, encrypted at rest and invisible to other tenants', async () => {
    expectProblem(await c.post('/v1/channels', { kind: 'telegram', name: 'Bot' }, acme.headers('admin')), 400);
    expectProblem(await c.post('/v1/channels', { kind: 'telegram', name: 'Bot', botToken: 'not-a-token' }, acme.headers('admin')), 400);
    expectProblem(await c.post('/v1/channels', { kind: 'telegram', name: 'Bot', botToken: acmeBot, address: 'x@acme.example' }, acme.headers('admin')), 400);
    expectProblem(await c.post('/v1/channels', { kind: 'telegram', name: 'Bot', botToken: acmeBot }, acme.headers('agent')), 403);
    expectProblem(await c.post('/v1/channels', { kind: 'web', name: 'Widget' }, acme.headers('admin')), 400);
    const created = expectStatus(await c.post('/v1/channels', { kind: 'telegram', name: 'Acme bot', botToken: acmeBot }, acme.headers('admin')), 201);
    expect(created).toMatchObject({ kind: 'telegram', status: 'active', address: null, webhookUrl: `/v1/channels/${created.id}/inbound/telegram` });
    expect(created.webhookSecret).toMatch(/^whsec_[A-Za-z0-9_-]+$/); // Telegram's secret_token alphabet
    expect(JSON.stringify(created)).not.toContain(acmeBot);
    acmeChannel = { id: created.id, webhookSecret: created.webhookSecret };
    const g = expectStatus(await c.post('/v1/channels', { kind: 'telegram', name: 'Globex bot', botToken: globexBot }, globex.headers('owner')), 201);
    globexChannel = { id: g.id, webhookSecret: g.webhookSecret };

    const read = await c.get(`/v1/channels/${acmeChannel.id}`, acme.headers('admin'));
    expect(read.text).not.toContain(acmeBot);
    expect(read.text).not.toContain('whsec_');
    expectProblem(await c.get(`/v1/channels/${acmeChannel.id}`, globex.headers('admin')), 404);
    expectProblem(await c.patch(`/v1/channels/${acmeChannel.id}`, { botToken: globexBot }, globex.headers('admin', { 'if-match': '*' })), 404);
    const rows = await asTenantRole(acme.tenant.id, async (db) => (await db.query('SELECT config FROM channels WHERE id = $1', [acmeChannel.id])).rows);
    expect(Buffer.from(rows[0].config).toString('latin1')).not.toContain(acmeBot.split(':')[1]);
    expect(await asTenantRole(globex.tenant.id, async (db) => (await db.query('SELECT id FROM channels WHERE id = $1', [acmeChannel.id])).rows)).toEqual([]);
    const audit = await c.get('/v1/audit-logs?limit=100', acme.headers('admin'));
    expect(audit.text).toContain('channel.created');
    expect(audit.text).not.toContain(acmeBot);
  });

  let firstInboundId: string;

  it('checks the secret token per channel: missing, wrong, another tenant’s, an unknown channel are 401; a malformed update is 400; a replayed update_id is stored once', async () => {
    const update = telegramUpdates.text(pat, 'Hallo, meine Heizung macht seit gestern ein klopfendes Geräusch.');
    expectProblem(await hook(acmeChannel.id, update), 401, 'webhook-unauthorized');
    expectProblem(await hook(acmeChannel.id, update, 'whsec_wrong'), 401, 'webhook-unauthorized');
    expectProblem(await hook(acmeChannel.id, update, globexChannel.webhookSecret), 401, 'webhook-unauthorized');
    expectProblem(await hook(globexChannel.id, update, acmeChannel.webhookSecret), 401, 'webhook-unauthorized');
    expectProblem(await hook(RANDOM_UUID, update, acmeChannel.webhookSecret), 401, 'webhook-unauthorized');
    expectProblem(await hook(acmeChannel.id, { message: update.message }, acmeChannel.webhookSecret), 400);
    expectProblem(await hook(acmeChannel.id, { update_id: 5, message: { text: 'no chat' } }, acmeChannel.webhookSecret), 400);
    expect(expectStatus(await hook(acmeChannel.id, telegramUpdates.edited(pat, 'edited'), acmeChannel.webhookSecret), 200)).toEqual({ id: null, duplicate: false, ignored: true });

    const first = expectStatus(await hook(acmeChannel.id, update, acmeChannel.webhookSecret), 200);
    expect(first).toMatchObject({ duplicate: false, ignored: false });
    const replay = expectStatus(await hook(acmeChannel.id, update, acmeChannel.webhookSecret), 200);
    expect(replay).toEqual({ id: first.id, duplicate: true, ignored: false });
    firstInboundId = first.id;
    const row = await inboundRow(acme, first.id);
    expect(row).toMatchObject({ status: 'processed', classification: 'message', externalId: `telegram:${update.update_id}`, sender: String(pat.id) });
    expect((expectStatus(await c.get('/v1/channels/inbound?limit=100', globex.headers('agent')), 200).data as any[]).map((r) => r.id)).not.toContain(first.id);
    expectProblem(await c.get(`/v1/channels/inbound/${first.id}/raw`, globex.headers('agent')), 404);
  });

  let ticketId: string;

  it('turns the chat into a ticket from a contact found by their Telegram id; the next message continues it, with photos and documents as attachments', async () => {
    const row = await inboundRow(acme, firstInboundId);
    ticketId = row.ticketId;
    const ticket = expectStatus(await c.get(`/v1/tickets/${ticketId}`, acme.headers('agent')), 200);
    expect(ticket).toMatchObject({ channel: 'telegram', subject: 'Hallo, meine Heizung macht seit gestern ein klopfendes Geräusch.' });
    const contact = expectStatus(await c.get(`/v1/contacts/${ticket.requesterId}`, acme.headers('agent')), 200);
    // The language is detected from the German text (Telegram's language_code is only the fallback).
    expect(contact).toMatchObject({ name: 'Pat Ng', channelIdentities: [{ channel: 'telegram', externalId: String(pat.id) }], locale: 'de' });
    expect((await messages(acme, ticketId))[0]).toMatchObject({ id: row.ticketMessageId, authorType: 'contact', authorId: contact.id, visibility: 'public', body: expect.stringContaining('klopfendes Geräusch') });

    tg.addFile(`small-${pat.id}`, 'photos/file_1.jpg', PNG);
    tg.addFile(`large-${pat.id}`, 'photos/file_2.jpg', PNG);
    tg.addFile(`pdf-${pat.id}`, 'documents/file_3.pdf', PDF);
    tg.addFile(`exe-${pat.id}`, 'documents/file_4.exe', EXE);
    const photo = expectStatus(await hook(acmeChannel.id, telegramUpdates.photo(pat, [`small-${pat.id}`, `large-${pat.id}`], 'So sieht das Display aus'), acmeChannel.webhookSecret), 200);
    const pdf = expectStatus(await hook(acmeChannel.id, telegramUpdates.document(pat, `pdf-${pat.id}`, 'wartung.pdf', 'application/pdf'), acmeChannel.webhookSecret), 200);
    const exe = expectStatus(await hook(acmeChannel.id, telegramUpdates.document(pat, `exe-${pat.id}`, 'rechnung.pdf.exe', 'application/pdf'), acmeChannel.webhookSecret), 200);
    for (const accepted of [photo, pdf, exe]) expect(await inboundRow(acme, accepted.id)).toMatchObject({ status: 'processed', ticketId });
    const bodies = (await messages(acme, ticketId)).map((m) => m.body);
    expect(bodies).toContain('So sieht das Display aus');
    const attachments = expectStatus(await c.get(`/v1/tickets/${ticketId}/attachments`, acme.headers('agent')), 200).data as any[];
    // The largest photo size, the PDF; never the executable, whatever its declared type.
    expect(attachments.map((a) => [a.filename, a.contentType]).sort()).toEqual([
      [`photo-ularge-${pat.id}.jpg`, 'image/png'],
      ['wartung.pdf', 'application/pdf'],
    ]);
    expect(tg.calls.filter((x) => x.method === 'getFile').map((x) => x.payload.file_id)).not.toContain(`small-${pat.id}`);
    // Globex's bot token never reached Telegram for acme's files.
    expect(tg.calls.filter((x) => x.method === 'getFile').every((x) => x.token === acmeBot)).toBe(true);
  }, 120_000);

  it('sends a public agent reply through sendMessage to the chat; internal notes stay inside', async () => {
    expectStatus(await c.post(`/v1/tickets/${ticketId}/messages`, { body: 'Note: check the pump', visibility: 'internal' }, acme.headers('agent')), 201);
    const reply = expectStatus(await c.post(`/v1/tickets/${ticketId}/messages`, { body: 'Danke, Pat! Ein Techniker kommt am Dienstag um 10 Uhr.' }, acme.headers('agent')), 201);
    const sent = await delivery(acme, reply.id, 'sent');
    expect(sent).toMatchObject({ recipient: String(pat.id), attempts: 1, error: null, providerMessageId: expect.stringMatching(new RegExp(`^${pat.id}:\\d+$`)) });
    const calls = tg.sent(pat.id);
    expect(calls.map((x) => x.payload.text)).toEqual(['Danke, Pat! Ein Techniker kommt am Dienstag um 10 Uhr.']);
    expect(calls[0]!.token).toBe(acmeBot);
  }, 60_000);

  it('honours Telegram’s retry_after, capped, and dead-letters a reply to a bot the user blocked', async () => {
    // An hour's hint, capped to CHANNELS_RETRY_AFTER_MAX_MS (1 s here): without the cap this reply would wait an hour.
    tg.failNext({ status: 429, body: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 3600', parameters: { retry_after: 3600 } } });
    const reply = expectStatus(await c.post(`/v1/tickets/${ticketId}/messages`, { body: 'Bitte lassen Sie das Gerät eingeschaltet.' }, acme.headers('agent')), 201);
    const sent = await delivery(acme, reply.id, 'sent');
    expect(sent).toMatchObject({ attempts: 2, error: null });
    expect(tg.sent(pat.id).filter((x) => x.payload.text === 'Bitte lassen Sie das Gerät eingeschaltet.')).toHaveLength(2);

    tg.failNext({ status: 403, body: { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' } });
    const blocked = expectStatus(await c.post(`/v1/tickets/${ticketId}/messages`, { body: 'Sind Sie noch da?' }, acme.headers('agent')), 201);
    const failed = await delivery(acme, blocked.id, 'failed');
    expect(failed).toMatchObject({ attempts: 1, error: expect.stringContaining('bot was blocked by the user') });
    const deadLetters = expectStatus(await c.get('/v1/channels/deliveries?status=failed', acme.headers('agent')), 200).data as any[];
    expect(deadLetters.map((d) => d.id)).toContain(failed.id);
    expect(failed.error).not.toContain(acmeBot);
    // Retried from the API, it goes out.
    expectStatus(await c.post(`/v1/channels/deliveries/${failed.id}/retry`, {}, acme.headers('agent')), 200);
    expect(await delivery(acme, blocked.id, 'sent')).toMatchObject({ id: failed.id });
    expect((expectStatus(await c.get('/v1/channels/deliveries?status=failed', globex.headers('agent')), 200).data as any[]).map((d) => d.id)).not.toContain(failed.id);
  }, 90_000);

  it('sends an agent’s files after the text with sendPhoto and sendDocument (multipart); a 429 on the document retries only the document', async () => {
    const upload = async (bytes: Buffer, type: string, name: string) => {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(bytes)], { type }), name);
      expect((await fetch(`${api.url}/v1/tickets/${ticketId}/attachments`, { method: 'POST', headers: { authorization: acme.headers('agent').authorization }, body: form })).status).toBe(201);
    };
    await upload(PNG, 'image/png', 'schaltplan.png');
    await upload(PDF, 'application/pdf', 'angebot.pdf');
    tg.failOn('sendDocument', { status: 429, body: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } } });
    const before = tg.sentAll(pat.id).length;
    const reply = expectStatus(await c.post(`/v1/tickets/${ticketId}/messages`, { body: 'Anbei der Schaltplan und das Angebot.' }, acme.headers('agent')), 201);
    const sent = await delivery(acme, reply.id, 'sent');
    expect(sent).toMatchObject({ attempts: 2, error: null });
    const calls = tg.sentAll(pat.id).slice(before);
    // The retry sent only the document: the text and the photo had their message ids already.
    expect(calls.map((x) => x.method)).toEqual(['sendMessage', 'sendPhoto', 'sendDocument', 'sendDocument']);
    expect(calls.every((x) => x.token === acmeBot)).toBe(true);
    expect(calls[0]!.payload.text).toBe('Anbei der Schaltplan und das Angebot.');
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    expect(calls[1]!.payload).toMatchObject({ chat_id: String(pat.id), photo: { filename: 'schaltplan.png', type: 'image/png', size: PNG.length, sha256: sha(PNG) } });
    expect(calls[3]!.payload).toMatchObject({ chat_id: String(pat.id), document: { filename: 'angebot.pdf', type: 'application/pdf', size: PDF.length, sha256: sha(PDF) } });
    const [row] = await asTenantRole(acme.tenant.id, async (db) => (await db.query('SELECT parts FROM channel_deliveries WHERE id = $1', [sent.id])).rows);
    const keys = Object.keys(row.parts);
    expect(keys).toHaveLength(3);
    expect(keys.filter((k) => k === 'text' || k.startsWith('file:attachments/'))).toHaveLength(3);
    expect(sent.providerMessageId).toBe(row.parts.text);

    // The next reply carries no files of its own: text only.
    const next = expectStatus(await c.post(`/v1/tickets/${ticketId}/messages`, { body: 'Melden Sie sich bei Fragen.' }, acme.headers('agent')), 201);
    await delivery(acme, next.id, 'sent');
    expect(tg.sentAll(pat.id).slice(before + 4).map((x) => x.method)).toEqual(['sendMessage']);
  }, 60_000);

  it('counts webhook updates per channel and outcome', async () => {
    const text = await (await fetch(`${api.url}/metrics`)).text();
    const count = (outcome: string) => Number(text.split('\n').find((l) => l.startsWith('channel_webhook_updates_total{') && l.includes(`channel_id="${acmeChannel.id}"`) && l.includes(`outcome="${outcome}"`))?.split(' ').at(-1) ?? 0);
    expect(count('accepted')).toBe(4);
    expect(count('duplicate')).toBe(1);
    expect(count('unauthorized')).toBe(3);
    expect(count('parse_error')).toBe(2);
    expect(count('ignored')).toBe(1);
    expect(text).toMatch(/channel_webhook_updates_total\{channel_id="unknown",kind="telegram",outcome="unauthorized"\} [1-9]/);
  });

  // WhatsApp

  let waChannel: { id: string; webhookSecret: string };
  let globexWaChannel: { id: string; webhookSecret: string };
  let waTicketId: string;
  const kim = { waId: String(randomInt(1e10, 9e10)), name: 'Kim Souza' };
  const waHook = (channelId: string, body: unknown, secret: string | null, raw = JSON.stringify(body)) =>
    fetch(`${api.url}/v1/channels/${channelId}/inbound/whatsapp`, { method: 'POST', body: raw, headers: { 'content-type': 'application/json', ...(secret ? { 'x-hub-signature-256': hubSignature(raw, secret) } : {}) } });
  const json = async (res: Response) => ({ status: res.status, body: (await res.json()) as any });

  it('creates WhatsApp channels and answers Meta’s verification handshake only with the channel’s verify token', async () => {
    expectProblem(await c.post('/v1/channels', { kind: 'whatsapp', name: 'WA' }, acme.headers('admin')), 400);
    expectProblem(await c.post('/v1/channels', { kind: 'whatsapp', name: 'WA', whatsapp: { ...acmeWa, phoneNumberId: '+49 30' } }, acme.headers('admin')), 400);
    expectProblem(await c.post('/v1/channels', { kind: 'whatsapp', name: 'WA', whatsapp: acmeWa, botToken: acmeBot }, acme.headers('admin')), 400);
    const created = expectStatus(await c.post('/v1/channels', { kind: 'whatsapp', name: 'Acme WhatsApp', whatsapp: acmeWa }, acme.headers('admin')), 201);
    expect(created).toMatchObject({ kind: 'whatsapp', webhookUrl: `/v1/channels/${created.id}/inbound/whatsapp` });
    waChannel = { id: created.id, webhookSecret: created.webhookSecret };
    const read = await c.get(`/v1/channels/${waChannel.id}`, acme.headers('admin'));
    for (const secret of [acmeWa.accessToken, acmeWa.appSecret, waChannel.webhookSecret]) expect(read.text).not.toContain(secret);
    const g = expectStatus(await c.post('/v1/channels', { kind: 'whatsapp', name: 'Globex WhatsApp', whatsapp: globexWa }, globex.headers('owner')), 201);
    globexWaChannel = { id: g.id, webhookSecret: g.webhookSecret };

    const verify = (id: string, token: string, mode = 'subscribe') => fetch(`${api.url}/v1/channels/${id}/inbound/whatsapp?hub.mode=${mode}&hub.verify_token=${encodeURIComponent(token)}&hub.challenge=1158201444`);
    const ok = await verify(waChannel.id, waChannel.webhookSecret);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('1158201444');
    expect((await verify(waChannel.id, 'wrong')).status).toBe(403);
    expect((await verify(waChannel.id, globexWaChannel.webhookSecret)).status).toBe(403);
    expect((await verify(waChannel.id, waChannel.webhookSecret, 'unsubscribe')).status).toBe(403);
    expect((await verify(acmeChannel.id, acmeChannel.webhookSecret)).status).toBe(403); // a Telegram channel
  });

  it('checks X-Hub-Signature-256 on the raw body per channel, stores each wamid once, and ignores another number’s messages', async () => {
    const messageId = wamid();
    const body = whatsappWebhooks.text(acmeWa.phoneNumberId, kim, 'Olá! O aquecedor não liga desde ontem.', messageId);
    expect((await waHook(waChannel.id, body, null)).status).toBe(401);
    expect((await waHook(waChannel.id, body, globexWa.appSecret)).status).toBe(401);
    expect((await waHook(globexWaChannel.id, body, acmeWa.appSecret)).status).toBe(401);
    // The same JSON re-serialised with other whitespace is not what was signed.
    const raw = JSON.stringify(body);
    const tampered = await fetch(`${api.url}/v1/channels/${waChannel.id}/inbound/whatsapp`, { method: 'POST', body: JSON.stringify(body, null, 1), headers: { 'content-type': 'application/json', 'x-hub-signature-256': hubSignature(raw, acmeWa.appSecret) } });
    expect(tampered.status).toBe(401);
    expect((await waHook(waChannel.id, { object: 'page', entry: [] }, acmeWa.appSecret)).status).toBe(400);

    const first = await json(await waHook(waChannel.id, body, acmeWa.appSecret));
    expect(first).toMatchObject({ status: 200, body: { duplicates: 0, statuses: 0, ignored: 0 } });
    expect(first.body.stored).toHaveLength(1);
    expect((await json(await waHook(waChannel.id, body, acmeWa.appSecret))).body).toEqual({ stored: [], duplicates: 1, statuses: 0, ignored: 0 });
    const other = await json(await waHook(waChannel.id, whatsappWebhooks.text(globexWa.phoneNumberId, kim, 'not for acme'), acmeWa.appSecret));
    expect(other.body).toEqual({ stored: [], duplicates: 0, statuses: 0, ignored: 1 });

    const row = await inboundRow(acme, first.body.stored[0]);
    expect(row).toMatchObject({ status: 'processed', sender: kim.waId, externalId: `whatsapp:${messageId}` });
    waTicketId = row.ticketId;
    const ticket = expectStatus(await c.get(`/v1/tickets/${waTicketId}`, acme.headers('agent')), 200);
    expect(ticket).toMatchObject({ channel: 'whatsapp', subject: 'Olá! O aquecedor não liga desde ontem.' });
    expect(expectStatus(await c.get(`/v1/contacts/${ticket.requesterId}`, acme.headers('agent')), 200)).toMatchObject({ name: 'Kim Souza', channelIdentities: [{ channel: 'whatsapp', externalId: kim.waId }], locale: 'pt' });

    wa.addMedia(`media${kim.waId}`, PNG, 'image/png');
    const image = await json(await waHook(waChannel.id, whatsappWebhooks.image(acmeWa.phoneNumberId, kim, `media${kim.waId}`, 'O display mostra E04'), acmeWa.appSecret));
    expect(await inboundRow(acme, image.body.stored[0])).toMatchObject({ status: 'processed', ticketId: waTicketId });
    expect((await messages(acme, waTicketId)).map((m) => m.body)).toContain('O display mostra E04');
    const attachments = expectStatus(await c.get(`/v1/tickets/${waTicketId}/attachments`, acme.headers('agent')), 200).data as any[];
    expect(attachments.map((a) => [a.filename, a.contentType])).toEqual([[`image-media${kim.waId}.png`, 'image/png']]);
    expect(wa.calls.filter((x) => x.method === 'GET').every((x) => x.token === acmeWa.accessToken)).toBe(true);
  }, 120_000);

  it('sends replies and documents through the Cloud API and moves them by status webhooks (delivered, read, failed), never backwards', async () => {
    const upload = new FormData();
    upload.append('file', new Blob([PDF], { type: 'application/pdf' }), 'orcamento.pdf');
    expect((await fetch(`${api.url}/v1/tickets/${waTicketId}/attachments`, { method: 'POST', headers: { authorization: acme.headers('agent').authorization }, body: upload })).status).toBe(201);
    const reply = expectStatus(await c.post(`/v1/tickets/${waTicketId}/messages`, { body: 'Olá Kim, segue o orçamento. Um técnico pode ir amanhã às 10h?' }, acme.headers('agent')), 201);
    const sent = await delivery(acme, reply.id, 'sent');
    expect(sent).toMatchObject({ recipient: kim.waId, providerMessageId: expect.stringMatching(/^wamid\./), template: null });
    const out = wa.messagesTo(kim.waId);
    expect(out.map((x) => x.json!.type)).toEqual(['text', 'document']);
    expect(out[0]!.json).toMatchObject({ messaging_product: 'whatsapp', to: kim.waId, text: { body: 'Olá Kim, segue o orçamento. Um técnico pode ir amanhã às 10h?' } });
    expect(out[0]!.path).toBe(`/v21.0/${acmeWa.phoneNumberId}/messages`);
    expect(out[1]!.json).toMatchObject({ document: { filename: 'orcamento.pdf', id: expect.any(String) } });
    expect(wa.calls.find((x) => x.path.endsWith('/media'))!.raw.includes(PDF)).toBe(true);

    const status = async (s: 'sent' | 'delivered' | 'read' | 'failed', id = sent.providerMessageId) => (await json(await waHook(waChannel.id, whatsappWebhooks.status(acmeWa.phoneNumberId, id, s, kim.waId), acmeWa.appSecret))).body;
    expect(await status('delivered')).toMatchObject({ statuses: 1 });
    expect(await delivery(acme, reply.id, 'delivered')).toMatchObject({ id: sent.id });
    expect(await status('read')).toMatchObject({ statuses: 1 });
    expect(await status('delivered')).toMatchObject({ statuses: 0 });
    expect(await delivery(acme, reply.id, 'read')).toMatchObject({ id: sent.id });
    // Globex cannot move acme's delivery, even knowing its wamid.
    expect((await json(await waHook(globexWaChannel.id, whatsappWebhooks.status(globexWa.phoneNumberId, sent.providerMessageId, 'failed', kim.waId), globexWa.appSecret))).body).toMatchObject({ statuses: 0 });

    const second = expectStatus(await c.post(`/v1/tickets/${waTicketId}/messages`, { body: 'Confirmado?' }, acme.headers('agent')), 201);
    const secondSent = await delivery(acme, second.id, 'sent');
    await status('failed', secondSent.providerMessageId);
    expect(await delivery(acme, second.id, 'failed')).toMatchObject({ error: expect.stringContaining('131026') });
  }, 90_000);

  it('refuses a free-text reply 24 hours after the customer last wrote (422) and sends an approved template instead', async () => {
    // The customer's last message, 25 hours ago (committed, as a day passing would leave it).
    const db = new Client({ connectionString: process.env.E2E_DATABASE_URL });
    await db.connect();
    try {
      const aged = await db.query(`UPDATE channel_inbound SET created_at = now() - interval '25 hours' WHERE tenant_id = $1 AND channel_id = $2 AND sender = $3`, [acme.tenant.id, waChannel.id, kim.waId]);
      expect(aged.rowCount).toBe(2);
    } finally {
      await db.end();
    }
    const refused = expectProblem(await c.post(`/v1/tickets/${waTicketId}/messages`, { body: 'Ainda precisa de ajuda?' }, acme.headers('agent')), 422, 'whatsapp-window-closed');
    expect(refused.detail).toContain('template');
    expectStatus(await c.post(`/v1/tickets/${waTicketId}/messages`, { body: 'Customer went quiet', visibility: 'internal' }, acme.headers('agent')), 201);
    expectProblem(await c.post(`/v1/tickets/${waTicketId}/whatsapp-template`, { name: 'Bad Name', language: 'pt_BR', parameters: [], body: 'x' }, acme.headers('agent')), 400);
    expectProblem(await c.post(`/v1/tickets/${ticketId}/whatsapp-template`, { name: 'follow_up', language: 'de', parameters: [], body: 'x' }, acme.headers('agent')), 422, 'not-a-whatsapp-conversation');
    expectProblem(await c.post(`/v1/tickets/${waTicketId}/whatsapp-template`, { name: 'follow_up', language: 'pt_BR', parameters: ['Kim'], body: 'x' }, globex.headers('agent')), 404);
    const message = expectStatus(
      await c.post(`/v1/tickets/${waTicketId}/whatsapp-template`, { name: 'follow_up', language: 'pt_BR', parameters: ['Kim', 'amanhã às 10h'], body: 'Olá Kim, podemos ir amanhã às 10h?' }, acme.headers('agent')),
      201,
    );
    expect(message).toMatchObject({ visibility: 'public', authorType: 'agent', body: 'Olá Kim, podemos ir amanhã às 10h?' });
    const sent = await delivery(acme, message.id, 'sent');
    expect(sent.template).toEqual({ name: 'follow_up', language: 'pt_BR', parameters: ['Kim', 'amanhã às 10h'] });
    expect(wa.messagesTo(kim.waId).at(-1)!.json).toMatchObject({
      type: 'template',
      template: { name: 'follow_up', language: { code: 'pt_BR' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'Kim' }, { type: 'text', text: 'amanhã às 10h' }] }] },
    });
    // One delivery for the message, though the MessageAdded consumer saw it too.
    expect((expectStatus(await c.get(`/v1/channels/deliveries?ticketId=${waTicketId}`, acme.headers('agent')), 200).data as any[]).filter((d) => d.ticketMessageId === message.id)).toHaveLength(1);
  }, 60_000);

  // Message templates, UI strings and the contact form

  it('validates template placeholders on save, previews along the fallback chain pt-BR → pt → tenant default → shipped, and serves UI strings publicly', async () => {
    const catalog = expectStatus(await c.get('/v1/message-templates', acme.headers('agent')), 200);
    expect(catalog.keys.find((k: any) => k.key === 'contact_form.confirmation')).toMatchObject({ placeholders: ['ticket_number', 'name', 'subject', 'tenant_name'], subject: true });
    const put = (key: string, locale: string, body: unknown, role: 'admin' | 'agent' = 'admin', t = acme) => c.put(`/v1/message-templates/${key}/${locale}`, body, t.headers(role));
    expectProblem(await put('contact_form.confirmation', 'pt', { subject: 'Chamado #{{ticket_number}}', body: 'Olá {{nome}}' }), 400);
    expectProblem(await put('contact_form.confirmation', 'pt', { subject: 'Chamado #{{ticket_number}}', body: 'Olá {{name}' }), 400);
    expectProblem(await put('contact_form.confirmation', 'pt', { body: 'Olá {{name}}' }), 400); // the mail needs a subject
    expectProblem(await put('contact_form.confirmation', 'not a locale', { subject: 's', body: 'b' }), 400);
    expectProblem(await put('no.such_key', 'pt', { body: 'b' }), 404);
    expectProblem(await put('contact_form.confirmation', 'pt', { subject: 's', body: 'b' }, 'agent'), 403);
    const saved = expectStatus(await put('contact_form.confirmation', 'pt', { subject: 'Recebemos: chamado #{{ticket_number}}', body: 'Oi {{name}}, seu chamado é o #{{ticket_number}}. — {{tenant_name}}' }), 200);
    expect(saved).toMatchObject({ key: 'contact_form.confirmation', locale: 'pt', version: 1 });

    const preview = (body: unknown, t = acme) => c.post('/v1/message-templates/contact_form.confirmation/preview', body, t.headers('agent'));
    expect(expectStatus(await preview({ locale: 'pt-BR', data: { name: 'Kim' } }), 200)).toMatchObject({ locale: 'pt', source: 'tenant', subject: 'Recebemos: chamado #1042', body: 'Oi Kim, seu chamado é o #1042. — Acme' });
    expect(expectStatus(await preview({ locale: 'de-AT' }), 200)).toMatchObject({ locale: 'de', source: 'shipped', subject: 'Wir haben Ihre Nachricht erhalten (Ticket #1042)' });
    expect(expectStatus(await preview({ locale: 'pt-BR' }, globex), 200)).toMatchObject({ source: 'shipped', locale: 'pt' });
    expect(expectStatus(await preview({ body: 'Draft for {{name}}', subject: null }), 200)).toMatchObject({ source: 'draft', body: 'Draft for Pat Example' });
    expectProblem(await preview({ body: 'Draft for {{nobody}}' }), 400);
    expectProblem(await preview({ data: { nobody: 'x' } }), 400);

    expectStatus(await put('ui.contact_form.title', 'pt-BR', { body: 'Fale com a gente' }, 'admin', globex), 200);
    expectProblem(await put('ui.contact_form.title', 'pt-BR', { body: 'Hi {{name}}' }, 'admin', globex), 400);
    const strings = async (t: TenantSession, locale: string) => expectStatus(await c.get(`/v1/i18n/${t.tenant.slug}?locale=${locale}`), 200);
    const acmeStrings = await strings(acme, 'pt-BR');
    expect(acmeStrings.locales[0]).toBe('pt-BR');
    expect(acmeStrings.strings).toMatchObject({ 'ui.contact_form.title': 'Fale conosco', 'ui.contact_form.submit': 'Enviar' });
    expect((await strings(globex, 'pt-BR')).strings['ui.contact_form.title']).toBe('Fale com a gente');
    expect((await strings(acme, 'fr')).strings['ui.contact_form.submit']).toBe('Send');
    expectProblem(await c.get('/v1/i18n/no-such-tenant-slug'), 404);
    expectProblem(await c.delete('/v1/message-templates/contact_form.confirmation/pt', globex.headers('admin')), 404);
  });

  it('answers a new chat conversation with the tenant’s chat.auto_reply in the customer’s language; a continuing one gets none', async () => {
    expectStatus(await c.put('/v1/message-templates/chat.auto_reply/de', { body: 'Danke {{name}}! Ihr Ticket ist #{{ticket_number}}.' }, acme.headers('admin')), 200);
    expectStatus(await c.put('/v1/message-templates/chat.auto_reply/en', { body: 'Thanks {{name}}! Ticket #{{ticket_number}}.' }, acme.headers('admin')), 200);
    const sam = { id: randomInt(10_000_000, 99_999_999), first_name: 'Sam' };
    const first = expectStatus(await hook(acmeChannel.id, telegramUpdates.text(sam, 'Guten Tag, die Warmwasserbereitung funktioniert seit heute Morgen nicht mehr.'), acmeChannel.webhookSecret), 200);
    const row = await inboundRow(acme, first.id);
    const ticket = expectStatus(await c.get(`/v1/tickets/${row.ticketId}`, acme.headers('agent')), 200);
    const sent = await waitFor(async () => tg.sent(sam.id)[0], 'the auto-reply', 30_000);
    expect(sent.payload.text).toBe(`Danke Sam! Ihr Ticket ist #${ticket.number}.`);
    const next = expectStatus(await hook(acmeChannel.id, telegramUpdates.text(sam, 'Noch etwas: der Druck ist niedrig.'), acmeChannel.webhookSecret), 200);
    expect(await inboundRow(acme, next.id)).toMatchObject({ ticketId: row.ticketId });
    const reply = expectStatus(await c.post(`/v1/tickets/${row.ticketId}/messages`, { body: 'Wir kümmern uns darum.' }, acme.headers('agent')), 201);
    await delivery(acme, reply.id, 'sent');
    expect(tg.sent(sam.id).map((x) => x.payload.text)).toEqual([`Danke Sam! Ihr Ticket ist #${ticket.number}.`, 'Wir kümmern uns darum.']);
  }, 60_000);

  it('the contact form: a signed token, the minimum fill time, the honeypot, required extra fields, a ticket, a confirmation mail in the visitor’s language, and an hourly limit per address', async () => {
    expectStatus(await c.post('/v1/channels', { kind: 'email', name: 'Mail', address: `support-${randomInt(1e6, 9e6)}@acme.example`, smtp: { host: '127.0.0.1', port: sink.port, secure: false } }, acme.headers('admin')), 201);
    const settings = await c.get('/v1/contact-form-settings', acme.headers('admin'));
    expect(expectStatus(settings, 200)).toMatchObject({ enabled: true, perIpPerHour: 5, minFillSeconds: 3, fields: [] });
    expectProblem(await c.put('/v1/contact-form-settings', { enabled: true, fields: [{ key: 'email', label: 'x', required: true, maxLength: 10 }], perIpPerHour: 2, minFillSeconds: 1 }, acme.headers('admin', { 'if-match': '*' })), 400);
    const saved = expectStatus(
      await c.put('/v1/contact-form-settings', { enabled: true, fields: [{ key: 'order_number', label: 'Order number', required: true, maxLength: 20 }], perIpPerHour: 2, minFillSeconds: 1 }, acme.headers('admin', { 'if-match': settings.headers.get('etag')! })),
      200,
    );
    expect(saved).toMatchObject({ perIpPerHour: 2, version: 1 });
    expectProblem(await c.get('/v1/contact-form-settings', acme.headers('agent')), 403);

    const form = expectStatus(await c.get(`/v1/contact-form/${acme.tenant.slug}`), 200);
    expect(form.fields.map((f: any) => f.key)).toEqual(['name', 'email', 'subject', 'message', 'phone', 'company', 'order_number']);
    expect(form).toMatchObject({ honeypot: 'website', minFillSeconds: 1 });
    const ip = uniqueIp();
    const email = `lee-${randomInt(1e6, 9e6)}@customer.example`;
    const submission = { formToken: form.formToken, name: 'Lee Costa', email, subject: 'Caldeira com defeito', message: 'A caldeira apita a noite toda.', phone: '+55 11 91234-5678', company: 'Padaria Costa', fields: { order_number: 'A-778' }, locale: 'pt-BR' };
    const send = (body: unknown, from = ip, slug = acme.tenant.slug) => c.post(`/v1/contact-form/${slug}`, body, { 'x-forwarded-for': from });
    expectProblem(await send(submission), 422, 'contact-form-too-fast');
    await sleep(1100); // the minimum fill time is the behaviour under test
    expectProblem(await send(submission, ip, globex.tenant.slug), 400, 'contact-form-token-invalid');
    expectProblem(await send({ ...submission, formToken: `${form.formToken.slice(0, -2)}xx` }), 400, 'contact-form-token-invalid');
    expectProblem(await send({ ...submission, fields: {} }), 400);
    expectProblem(await send({ ...submission, fields: { order_number: 'A-778', coupon: 'x' } }), 400);
    expectProblem(await send({ ...submission, email: 'not-an-email' }), 400);

    const receipt = expectStatus(await send(submission), 201);
    expect(receipt).toEqual({ received: true, ticketNumber: expect.any(Number) });
    const ticket = (expectStatus(await c.get('/v1/tickets?limit=100', acme.headers('agent')), 200).data as any[]).find((t) => t.number === receipt.ticketNumber);
    expect(ticket).toMatchObject({ subject: 'Caldeira com defeito', channel: 'web' });
    expect(expectStatus(await c.get(`/v1/contacts/${ticket.requesterId}`, acme.headers('agent')), 200)).toMatchObject({ name: 'Lee Costa', emails: [email] });
    const [first] = await messages(acme, ticket.id);
    expect(first.body).toBe('A caldeira apita a noite toda.\n\n---\nPhone: +55 11 91234-5678\nCompany: Padaria Costa\nOrder number: A-778');
    const mail = await waitFor(async () => sink.received.find((m) => m.to && JSON.stringify(m.to).includes(email)), 'the confirmation mail', 30_000);
    expect(mail.subject).toMatch(new RegExp(`^Recebemos: chamado #${receipt.ticketNumber} \\[t_[a-z0-9]{16}\\]$`));
    expect(mail.text).toContain(`Oi Lee Costa, seu chamado é o #${receipt.ticketNumber}.`);

    // The honeypot: answered like a success, no ticket.
    const before = (expectStatus(await c.get('/v1/tickets?limit=100', acme.headers('agent')), 200).data as any[]).length;
    expect(expectStatus(await send({ ...submission, website: 'http://spam.example' }), 201)).toEqual({ received: true, ticketNumber: null });
    expect((expectStatus(await c.get('/v1/tickets?limit=100', acme.headers('agent')), 200).data as any[]).length).toBe(before);
    // Two submissions an hour from this address (the honeypot counted); another address is unaffected.
    expectProblem(await send(submission), 429, 'contact-form-limit');
    expect(expectStatus(await send({ ...submission, locale: undefined }, uniqueIp()), 201).ticketNumber).toBeGreaterThan(receipt.ticketNumber);
    // Another tenant's token does not open this tenant's form.
    const globexForm = expectStatus(await c.get(`/v1/contact-form/${globex.tenant.slug}`), 200);
    expectProblem(await send({ ...submission, formToken: globexForm.formToken, fields: undefined }, uniqueIp()), 400, 'contact-form-token-invalid');
  }, 90_000);
  // The web chat widget

  const shop = 'https://shop.acme.example';
  let acmeWidget: { id: string; publicKey: string };
  let globexWidget: { id: string; publicKey: string };
  const visitors: AgentClient[] = [];
  const widgetHeaders = (origin: string | null, ip: string, token?: string) => ({ ...(origin ? { origin } : {}), 'x-forwarded-for': ip, ...(token ? { authorization: `Bearer ${token}` } : {}) });
  const openVisitor = (token: string, origin = shop) => readyAgent(api.url, token, { namespace: '/visitor', extraHeaders: { origin } }).then((v) => (visitors.push(v), v));

  it('web channels: allowed origins required, a public key and embed snippet; the public config only for allowed origins; the script is small and cacheable', async () => {
    expectProblem(await c.post('/v1/channels', { kind: 'web', name: 'Chat', widget: { allowedOrigins: ['https://shop.acme.example/path'] } }, acme.headers('admin')), 400);
    expectProblem(await c.post('/v1/channels', { kind: 'web', name: 'Chat', widget: { allowedOrigins: [shop], color: 'red' } }, acme.headers('admin')), 400);
    expectProblem(await c.post('/v1/channels', { kind: 'telegram', name: 'Bot', botToken: acmeBot, widget: { allowedOrigins: [shop] } }, acme.headers('admin')), 400);
    const created = expectStatus(await c.post('/v1/channels', { kind: 'web', name: 'Acme chat', widget: { allowedOrigins: ['HTTPS://Shop.Acme.Example'], greeting: 'Hallo! Wie können wir helfen?', color: '#aa3300' } }, acme.headers('admin')), 201);
    expect(created).toMatchObject({ kind: 'web', webhookUrl: null, publicKey: expect.stringMatching(/^wk_[A-Za-z0-9_-]{24}$/), widget: { allowedOrigins: [shop], collectContact: 'optional', color: '#aa3300' } });
    expect(created.embedSnippet).toBe(`<script src="/widget.js" data-key="${created.publicKey}" async></script>`);
    acmeWidget = { id: created.id, publicKey: created.publicKey };
    const g = expectStatus(await c.post('/v1/channels', { kind: 'web', name: 'Globex chat', widget: { allowedOrigins: ['https://globex.example'] } }, globex.headers('owner')), 201);
    globexWidget = { id: g.id, publicKey: g.publicKey };
    expectProblem(await c.get(`/v1/channels/${acmeWidget.id}`, globex.headers('admin')), 404);

    const ip = uniqueIp();
    const config = await c.get(`/v1/public/widget/${acmeWidget.publicKey}?locale=de-AT`, widgetHeaders(shop, ip));
    expect(expectStatus(config, 200)).toEqual({
      name: 'Acme chat',
      greeting: 'Hallo! Wie können wir helfen?',
      color: '#aa3300',
      collectContact: 'optional',
      maxMessageLength: 4000,
      strings: { 'ui.widget.title': 'Chatten Sie mit uns', 'ui.widget.placeholder': 'Ihre Nachricht…', 'ui.widget.send': 'Senden', 'ui.contact_form.name': expect.any(String), 'ui.contact_form.email': expect.any(String) },
    });
    // The tenant's own strings win over the shipped ones.
    expectStatus(await c.put('/v1/message-templates/ui.widget.send/de', { body: 'Abschicken' }, acme.headers('admin')), 200);
    expect(expectStatus(await c.get(`/v1/public/widget/${acmeWidget.publicKey}?locale=de`, widgetHeaders(shop, ip)), 200).strings['ui.widget.send']).toBe('Abschicken');
    expect(expectStatus(await c.get(`/v1/public/widget/${acmeWidget.publicKey}?locale=${encodeURIComponent("x'); --")}`, widgetHeaders(shop, ip)), 200).strings['ui.widget.send']).toBe('Send');
    expect(config.headers.get('access-control-allow-origin')).toBe(shop);
    expect(config.text).not.toContain(acme.tenant.id);
    expectProblem(await c.get(`/v1/public/widget/${acmeWidget.publicKey}`, widgetHeaders('https://evil.example', ip)), 403, 'widget-origin-forbidden');
    expectProblem(await c.get(`/v1/public/widget/${acmeWidget.publicKey}`, widgetHeaders(null, ip)), 403, 'widget-origin-forbidden');
    expectProblem(await c.get(`/v1/public/widget/${globexWidget.publicKey}`, widgetHeaders(shop, ip)), 403, 'widget-origin-forbidden');
    expectProblem(await c.get('/v1/public/widget/wk_AAAAAAAAAAAAAAAAAAAAAAAA', widgetHeaders(shop, ip)), 404);
    expectProblem(await c.get(`/v1/public/widget/${encodeURIComponent("' OR 1=1 --")}`, widgetHeaders(shop, ip)), 404);
    const preflight = await fetch(`${api.url}/v1/public/widget/${acmeWidget.publicKey}/messages`, { method: 'OPTIONS', headers: { origin: shop, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(shop);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');

    const script = await fetch(`${api.url}/widget.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(script.headers.get('cache-control')).toMatch(/^public, max-age=300/);
    const source = await script.text();
    expect(source.length).toBeLessThan(10_000);
    expect(source).toContain('/v1/public/widget/');
    expect((await fetch(`${api.url}/widget.js`, { headers: { 'if-none-match': script.headers.get('etag')! } })).status).toBe(304);

    // The per-IP budget (40 a minute here) covers the public routes.
    const flood = uniqueIp();
    const answers = [];
    for (let i = 0; i < 45; i++) answers.push(await c.get(`/v1/public/widget/${acmeWidget.publicKey}`, widgetHeaders(shop, flood)));
    expect(answers.filter((a) => a.status === 429).length).toBeGreaterThan(0);
    expect(answers.find((a) => a.status === 429)!.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  let browserKey = '';
  let robin: { token: string; sessionId: string; ip: string; email: string };
  let robinTicketId: string;

  it('a visitor’s first message opens a ticket from the contact found by their email, later ones continue it; public replies reach their socket live, notes never; the history after a reload', async () => {
    const ip = uniqueIp();
    const email = `robin-${randomInt(1e6, 9e6)}@customer.example`;
    const started = expectStatus(await c.post(`/v1/public/widget/${acmeWidget.publicKey}/sessions`, { name: 'Robin Voss', email }, widgetHeaders(shop, ip)), 201);
    expect(started).toMatchObject({ sessionId: expect.any(String), token: expect.stringMatching(/^wvt_/), expiresAt: expect.any(String) });
    robin = { token: started.token, sessionId: started.sessionId, ip, email };
    // Only the secret's hash is stored.
    const [stored] = await asTenantRole(acme.tenant.id, async (db) => (await db.query('SELECT secret_hash FROM widget_sessions WHERE id = $1', [robin.sessionId])).rows);
    expect(stored.secret_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(robin.token).not.toContain(stored.secret_hash);
    expect(expectStatus(await c.get(`/v1/public/widget/${acmeWidget.publicKey}/messages`, widgetHeaders(shop, ip, robin.token)), 200)).toEqual({ data: [] });

    const socket = await openVisitor(robin.token);
    expect(socket.ready).toMatchObject({ sessionId: robin.sessionId });
    const first = expectStatus(await c.post(`/v1/public/widget/${acmeWidget.publicKey}/messages`, { body: 'Hallo, meine Bestellung 4711 ist nicht angekommen.' }, widgetHeaders(shop, ip, robin.token)), 201);
    expect(first).toMatchObject({ author: 'visitor', body: 'Hallo, meine Bestellung 4711 ist nicht angekommen.' });
    const tickets = expectStatus(await c.get('/v1/tickets?limit=100', acme.headers('agent')), 200).data as any[];
    const ticket = tickets.find((t) => t.subject === 'Hallo, meine Bestellung 4711 ist nicht angekommen.');
    expect(ticket).toMatchObject({ channel: 'web' });
    robinTicketId = ticket.id;
    expect(expectStatus(await c.get(`/v1/contacts/${ticket.requesterId}`, acme.headers('agent')), 200)).toMatchObject({ name: 'Robin Voss', emails: [email] });
    expectStatus(await c.post(`/v1/public/widget/${acmeWidget.publicKey}/messages`, { body: 'Die Sendungsnummer habe ich nicht.' }, widgetHeaders(shop, ip, robin.token)), 201);
    expect((await messages(acme, robinTicketId)).map((m) => m.body)).toEqual(['Hallo, meine Bestellung 4711 ist nicht angekommen.', 'Die Sendungsnummer habe ich nicht.']);
    expect((expectStatus(await c.get('/v1/tickets?limit=100', globex.headers('agent')), 200).data as any[]).map((t) => t.id)).not.toContain(robinTicketId);

    expectStatus(await c.post(`/v1/tickets/${robinTicketId}/messages`, { body: 'Note: carrier lost it', visibility: 'internal' }, acme.headers('agent')), 201);
    const reply = expectStatus(await c.post(`/v1/tickets/${robinTicketId}/messages`, { body: 'Wir schicken die Bestellung heute neu los.' }, acme.headers('agent')), 201);
    const live = await socket.next('message', (m) => m.id === reply.id, 30_000);
    expect(live).toEqual({ id: reply.id, author: 'agent', body: 'Wir schicken die Bestellung heute neu los.', createdAt: expect.any(String) });
    expect(await delivery(acme, reply.id, 'sent')).toMatchObject({ recipient: robin.sessionId, channelId: acmeWidget.id });
    expect(JSON.stringify(socket.received)).not.toContain('carrier lost it');

    const history = expectStatus(await c.get(`/v1/public/widget/${acmeWidget.publicKey}/messages`, widgetHeaders(shop, ip, robin.token)), 200).data as any[];
    expect(history.map((m) => [m.author, m.body])).toEqual([
      ['visitor', 'Hallo, meine Bestellung 4711 ist nicht angekommen.'],
      ['visitor', 'Die Sendungsnummer habe ich nicht.'],
      ['agent', 'Wir schicken die Bestellung heute neu los.'],
    ]);
  }, 60_000);

  it('a visitor sees only their own conversation: another visitor’s token neither reads nor receives it; bad, tampered, expired and other widgets’ tokens, wrong origins, oversized messages are refused', async () => {
    const ip = uniqueIp();
    const anon = expectStatus(await c.post(`/v1/public/widget/${acmeWidget.publicKey}/sessions`, {}, widgetHeaders(shop, ip)), 201);
    const sam = await openVisitor(anon.token);
    const robinSocket = await openVisitor(robin.token);
    expectStatus(await c.post(`/v1/public/widget/${acmeWidget.publicKey}/messages`, { body: 'Do you ship to Austria?' }, widgetHeaders(shop, ip, anon.token)), 201);
    const samHistory = expectStatus(await c.get(`/v1/public/widget/${acmeWidget.publicKey}/messages`, widgetHeaders(shop, ip, anon.token)), 200).data as any[];
    expect(samHistory.map((m) => m.body)).toEqual(['Do you ship to Austria?']);
    const samTicket = (expectStatus(await c.get('/v1/tickets?limit=100', acme.headers('agent')), 200).data as any[]).find((t) => t.subject === 'Do you ship to Austria?');
    expect(samTicket.id).not.toBe(robinTicketId);
    expect(expectStatus(await c.get(`/v1/contacts/${samTicket.requesterId}`, acme.headers('agent')), 200)).toMatchObject({ name: expect.stringMatching(/^Web visitor /), emails: [] });

    const reply = expectStatus(await c.post(`/v1/tickets/${robinTicketId}/messages`, { body: 'Private to Robin.' }, acme.headers('agent')), 201);
    await robinSocket.next('message', (m) => m.id === reply.id, 30_000);
    const samReply = expectStatus(await c.post(`/v1/tickets/${samTicket.id}/messages`, { body: 'Yes, we do.' }, acme.headers('agent')), 201);
    await sam.next('message', (m) => m.id === samReply.id, 30_000);
    // Sam's socket got Sam's reply after Robin's went out, and never Robin's.
    expect(JSON.stringify(sam.received)).not.toContain('Private to Robin.');
    expect(JSON.stringify(robinSocket.received)).not.toContain('Yes, we do.');

    const key = acmeWidget.publicKey;
    const tampered = `${robin.token.slice(0, -3)}${robin.token.endsWith('AAA') ? 'BBB' : 'AAA'}`;
    for (const token of [undefined, 'garbage', 'wvt_not-a-session.x', tampered, `wvt_${anon.sessionId}.${robin.token.split('.')[1]}`]) {
      expectProblem(await c.get(`/v1/public/widget/${key}/messages`, widgetHeaders(shop, ip, token)), 401, 'visitor-unauthorized');
      expectProblem(await c.post(`/v1/public/widget/${key}/messages`, { body: 'x' }, widgetHeaders(shop, ip, token)), 401, 'visitor-unauthorized');
    }
    // Robin's token at Globex's widget (from Globex's site) opens nothing there.
    expectProblem(await c.get(`/v1/public/widget/${globexWidget.publicKey}/messages`, widgetHeaders('https://globex.example', ip, robin.token)), 401, 'visitor-unauthorized');
    expectProblem(await c.post(`/v1/public/widget/${key}/messages`, { body: 'x' }, widgetHeaders('https://evil.example', ip, robin.token)), 403, 'widget-origin-forbidden');
    expectProblem(await c.post(`/v1/public/widget/${key}/messages`, { body: 'x'.repeat(4001) }, widgetHeaders(shop, ip, robin.token)), 400);
    expectProblem(await c.post(`/v1/public/widget/${key}/messages`, { body: '   ' }, widgetHeaders(shop, ip, robin.token)), 400);
    expectProblem(await c.post(`/v1/public/widget/${key}/messages`, { body: 'hi', ticketId: samTicket.id }, widgetHeaders(shop, ip, robin.token)), 400);
    expectProblem(await c.post(`/v1/public/widget/${key}/sessions`, { email: 'not-an-email' }, widgetHeaders(shop, ip)), 400);
    expect((await messages(acme, samTicket.id)).map((m) => m.body)).toEqual(['Do you ship to Austria?', 'Yes, we do.']);

    const refused = await connectError(api.url, 'garbage', { namespace: '/visitor', extraHeaders: { origin: shop } });
    expect(refused.data).toMatchObject({ status: 401, type: 'visitor-unauthorized' });
    expect((await connectError(api.url, robin.token, { namespace: '/visitor', extraHeaders: { origin: 'https://evil.example' } })).data).toMatchObject({ status: 403, type: 'widget-origin-forbidden' });
    // A visitor socket only listens: anything it sends closes it.
    const chatty = connectAgent(api.url, anon.token, { namespace: '/visitor', extraHeaders: { origin: shop } });
    visitors.push(chatty);
    await chatty.next('session.ready');
    const closed = new Promise((resolve) => chatty.socket.once('disconnect', resolve));
    chatty.socket.emit('join', { room: `visitor:${acme.tenant.id}:${robin.sessionId}` });
    await closed;

    // An expired token: refused over HTTP and at the socket.
    const db = new Client({ connectionString: process.env.E2E_DATABASE_URL });
    await db.connect();
    try {
      expect((await db.query(`UPDATE widget_sessions SET expires_at = now() - interval '1 minute' WHERE tenant_id = $1 AND id = $2`, [acme.tenant.id, anon.sessionId])).rowCount).toBe(1);
    } finally {
      await db.end();
    }
    expectProblem(await c.get(`/v1/public/widget/${key}/messages`, widgetHeaders(shop, ip, anon.token)), 401, 'visitor-unauthorized');
    expect((await connectError(api.url, anon.token, { namespace: '/visitor', extraHeaders: { origin: shop } })).data).toMatchObject({ status: 401 });

    // A widget that asks for name and email first refuses a session without them.
    const channel = await c.get(`/v1/channels/${acmeWidget.id}`, acme.headers('admin'));
    expectStatus(await c.patch(`/v1/channels/${acmeWidget.id}`, { widget: { collectContact: 'required' } }, acme.headers('admin', { 'if-match': channel.headers.get('etag')! })), 200);
    expectProblem(await c.post(`/v1/public/widget/${key}/sessions`, { name: 'Kai' }, widgetHeaders(shop, ip)), 400);
    expectStatus(await c.post(`/v1/public/widget/${key}/sessions`, { name: 'Kai', email: 'kai@customer.example' }, widgetHeaders(shop, ip)), 201);
    // Disabled, the widget is gone.
    const again = await c.get(`/v1/channels/${acmeWidget.id}`, acme.headers('admin'));
    expectStatus(await c.patch(`/v1/channels/${acmeWidget.id}`, { status: 'disabled' }, acme.headers('admin', { 'if-match': again.headers.get('etag')! })), 200);
    expectProblem(await c.get(`/v1/public/widget/${key}`, widgetHeaders(shop, ip)), 404);
    expectProblem(await c.get(`/v1/public/widget/${key}/messages`, widgetHeaders(shop, ip, robin.token)), 404);
  }, 90_000);
  it('in a real browser: the one-tag embed on a customer page opens the chat, sends a message, shows the agent’s reply live and the history after a reload', async () => {
    const page = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><html><head><title>Shop</title></head><body><h1>Shop</h1><script src="${api.url}/widget.js" data-key="${browserKey}" async></script></body></html>`);
    });
    await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', () => resolve()));
    const pageUrl = `http://127.0.0.1:${(page.address() as AddressInfo).port}`;
    const created = expectStatus(await c.post('/v1/channels', { kind: 'web', name: 'Acme help', widget: { allowedOrigins: [pageUrl], collectContact: 'none', greeting: 'Frag uns!' } }, acme.headers('admin')), 201);
    browserKey = created.publicKey;
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
    try {
      const tab = await (await browser.newContext()).newPage();
      const errors: string[] = [];
      tab.on('pageerror', (error) => errors.push(error.message));
      await tab.goto(pageUrl);
      // Playwright's CSS selectors reach into the widget's open shadow root.
      await tab.click('button.launch');
      await tab.waitForSelector('.greet:has-text("Frag uns!")');
      // Chromium here speaks English: the shipped English strings.
      expect(await tab.locator('button.send').textContent()).toBe('Send');
      await tab.fill('textarea', 'Gibt es den Mixer auch in Rot?');
      await tab.click('button.send');
      await tab.waitForSelector('.msg.visitor:has-text("Gibt es den Mixer auch in Rot?")');
      const ticket = await waitFor(async () => (expectStatus(await c.get('/v1/tickets?limit=100', acme.headers('agent')), 200).data as any[]).find((t) => t.subject === 'Gibt es den Mixer auch in Rot?'), 'the widget’s ticket', 10_000);
      expect(ticket).toMatchObject({ channel: 'web' });
      const reply = expectStatus(await c.post(`/v1/tickets/${ticket.id}/messages`, { body: 'Ja, ab nächster Woche.' }, acme.headers('agent')), 201);
      // Live over the /visitor socket (the page loaded Socket.IO's client from the api), not the fallback poll.
      await tab.waitForSelector(`.msg.agent[data-id="${reply.id}"]:has-text("Ja, ab nächster Woche.")`, { timeout: 8_000 });
      expect(await tab.evaluate('typeof window.io')).toBe('function');
      await tab.reload();
      await tab.click('button.launch');
      await tab.waitForSelector('.msg.agent:has-text("Ja, ab nächster Woche.")');
      expect(await tab.locator('.msg').allTextContents()).toEqual(['Gibt es den Mixer auch in Rot?', 'Ja, ab nächster Woche.']);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
      await new Promise<void>((resolve) => page.close(() => resolve()));
    }
  }, 90_000);
});
