import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { Client } from 'pg';
import { simpleParser, type ParsedMail } from 'mailparser';
import { asTenantRole, client, expectProblem, expectStatus, RANDOM_UUID } from '../support/http';
import { adminHeaders, freePort, startApi, startWorker, waitFor, type RunningApi } from '../support/processes';
import { readyAgent } from '../support/sockets';
import { createTwoTenants, type TenantSession } from '../support/tenants';

/** A local SMTP server on loopback that nodemailer's real client talks to; what it answers is up to the test. */
async function smtpSink() {
  const received: { envelope: { from: string; to: string[] }; raw: Buffer; parsed: ParsedMail }[] = [];
  const state = { answer: 'accept' as 'accept' | 'reject' | 'tempfail' };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth: (_auth, _session, callback) => callback(null, { user: 'sink' }),
    onData: (stream, session, callback) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (state.answer === 'reject') return callback(Object.assign(new Error('5.1.1 Recipient address rejected: User unknown'), { responseCode: 550 }));
        if (state.answer === 'tempfail') return callback(Object.assign(new Error('4.7.1 Greylisted, try again in 1 seconds'), { responseCode: 451 }));
        const raw = Buffer.concat(chunks);
        void simpleParser(raw).then((parsed) => {
          received.push({ envelope: { from: String((session.envelope.mailFrom as { address: string }).address), to: session.envelope.rcptTo.map((r) => r.address) }, raw, parsed });
          callback(null, 'Ok: queued as SINK' + received.length);
        });
      });
    },
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  return { port, received, state, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const FIXTURES = join(process.cwd(), 'test/fixtures/mail');
function fixture(name: string, vars: Record<string, string>): Buffer {
  return Buffer.from(readFileSync(join(FIXTURES, name), 'utf8').replace(/\{\{([A-Z_]+)\}\}/g, (_, k: string) => vars[k] ?? ''));
}

/** Posts raw MIME as SendGrid's Inbound Parse does (multipart, field "email"). */
async function postMime(url: string, channelId: string, raw: Buffer, auth: { secret?: string; token?: string; at?: number; field?: string; signWith?: string } = {}) {
  const form = new FormData();
  form.append(auth.field ?? 'email', new Blob([raw]), 'message.eml');
  const headers: Record<string, string> = {};
  if (auth.secret) {
    const t = String(auth.at ?? Math.floor(Date.now() / 1000));
    headers['x-switchboard-signature'] = `t=${t},v1=${createHmac('sha256', auth.signWith ?? auth.secret).update(`${t}.`).update(raw).digest('hex')}`;
  }
  const query = auth.token ? `?token=${encodeURIComponent(auth.token)}` : '';
  const res = await fetch(`${url}/v1/channels/${channelId}/inbound/email${query}`, { method: 'POST', body: form, headers });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined, text };
}

/**
 * The email channel end to end: channel configuration (encrypted, never returned, per tenant),
 * the signed raw-MIME webhook and the SMTP listener, threading of real client shapes, auto-replies
 * and bounces, delivery of agent replies through a real SMTP client to a loopback sink with
 * retries and the dead-letter list, console status, and a mail bomb paced per sender.
 */
describe('channels: email', () => {
  let api: RunningApi;
  let worker: Awaited<ReturnType<typeof startWorker>>;
  let sink: Awaited<ReturnType<typeof smtpSink>>;
  let acme: TenantSession;
  let globex: TenantSession;
  let c: ReturnType<typeof client>;
  let smtpPort: number;
  const suffix = randomBytes(4).toString('hex');
  const acmeAddress = `support-${suffix}@acme.example`;
  const globexAddress = `help-${suffix}@globex.example`;
  const sender = `pat-${suffix}@customer.example`;
  let acmeChannel: { id: string; webhookSecret: string };
  let globexChannel: { id: string; webhookSecret: string };

  const common = { CHANNELS_ALLOW_PRIVATE_SMTP: 'true', CHANNELS_DELIVERY_BASE_DELAY_MS: '200', CHANNELS_DELIVERY_MAX_DELAY_MS: '2000', CHANNELS_DELIVERY_MAX_ATTEMPTS: '3', CHANNELS_INBOUND_SENDER_PER_MINUTE: '600', CHANNELS_INBOUND_SENDER_BURST: '20', CHANNELS_INBOUND_MAX_BYTES: String(256 * 1024), RATE_LIMIT_IP_PER_MINUTE: '100000' };

  const inbound = async (t: TenantSession, query = '') => expectStatus(await c.get(`/v1/channels/inbound${query}`, t.headers('agent')), 200).data as any[];
  const settled = (t: TenantSession, id: string) =>
    waitFor(async () => {
      const row = (await inbound(t, '?limit=100')).find((i) => i.id === id);
      return row && ['processed', 'ignored', 'failed'].includes(row.status) ? row : undefined;
    }, `inbound ${id} processed`, 30_000);
  const messages = async (t: TenantSession, ticketId: string) => expectStatus(await c.get(`/v1/tickets/${ticketId}/messages?limit=100`, t.headers('agent')), 200).data as any[];
  const delivery = (t: TenantSession, messageId: string, status: string) =>
    waitFor(async () => {
      const d = (expectStatus(await c.get(`/v1/channels/deliveries?limit=100`, t.headers('agent')), 200).data as any[]).find((x) => x.ticketMessageId === messageId);
      return d && d.status === status ? d : undefined;
    }, `delivery of ${messageId} ${status}`, 30_000);

  beforeAll(async () => {
    sink = await smtpSink();
    smtpPort = await freePort();
    api = await startApi({ ...common, CHANNELS_SMTP_LISTEN_PORT: String(smtpPort), CHANNELS_SMTP_LISTEN_HOST: '127.0.0.1' });
    worker = await startWorker({ ...common, OUTBOX_POLL_MS: '50', SCHEDULE_OVERRIDES: JSON.stringify({ 'tickets.channels-sweep': { every: 1_000 } }) });
    c = client(api.url);
    [acme, globex] = await createTwoTenants(api.url);
  });
  afterAll(async () => {
    await worker?.stop();
    await api?.stop();
    await sink?.close();
  });

  it('creates channels whose secrets are shown once, encrypted at rest, never returned, and invisible to other tenants', async () => {
    const body = { kind: 'email', name: 'Support', address: acmeAddress, fromName: 'Acme Support', signature: 'Acme Heating · +49 30 1234', smtp: { host: '127.0.0.1', port: sink.port, secure: false, user: 'sink', pass: 'sink-password-123' } };
    expectProblem(await c.post('/v1/channels', body, acme.headers('agent')), 403);
    // Only email channels have an inbound address (a web chat channel has a public key instead).
    expect(expectProblem(await c.post('/v1/channels', { kind: 'web', name: 'Chat', address: `web-${suffix}@acme.example`, widget: { allowedOrigins: ['https://acme.example'] } }, acme.headers('admin')), 400).errors).toEqual([{ field: 'address', message: 'is for email channels' }]);
    expectProblem(await c.post('/v1/channels', { ...body, address: 'not-an-address' }, acme.headers('admin')), 400);
    expectProblem(await c.post('/v1/channels', { ...body, smtp: { ...body.smtp, port: 70000 } }, acme.headers('admin')), 400);
    expectProblem(await c.post('/v1/channels', { ...body, unknown: 1 }, acme.headers('admin')), 400);
    expectProblem(await c.post('/v1/channels', { ...body, address: `support+x-${suffix}@acme.example` }, acme.headers('admin')), 400);
    const created = expectStatus(await c.post('/v1/channels', body, acme.headers('admin')), 201);
    expect(created).toMatchObject({ kind: 'email', status: 'active', address: acmeAddress, fromName: 'Acme Support', webhookUrl: `/v1/channels/${created.id}/inbound/email` });
    expect(created.webhookSecret).toMatch(/^whsec_/);
    acmeChannel = { id: created.id, webhookSecret: created.webhookSecret };
    // One address routes to one channel, across tenants.
    expectProblem(await c.post('/v1/channels', { ...body, address: acmeAddress.toUpperCase() }, globex.headers('admin')), 409, 'channel-address-taken');
    const g = expectStatus(await c.post('/v1/channels', { kind: 'email', name: 'Help', address: globexAddress, smtp: { host: '127.0.0.1', port: sink.port, secure: false } }, globex.headers('owner')), 201);
    globexChannel = { id: g.id, webhookSecret: g.webhookSecret };

    const read = await c.get(`/v1/channels/${acmeChannel.id}`, acme.headers('admin'));
    expect(read.text).not.toContain('whsec_');
    expect(read.text).not.toContain('sink-password-123');
    expect(read.text).not.toContain('"smtp"');
    expect(JSON.stringify(expectStatus(await c.get('/v1/channels', acme.headers('admin')), 200))).not.toContain('sink-password-123');
    expectProblem(await c.get(`/v1/channels/${acmeChannel.id}`, globex.headers('admin')), 404);
    expectProblem(await c.patch(`/v1/channels/${acmeChannel.id}`, { name: 'x' }, globex.headers('admin', { 'if-match': '*' })), 404);
    expectProblem(await c.get(`/v1/channels/${RANDOM_UUID}`, acme.headers('admin')), 404);
    expect((expectStatus(await c.get('/v1/channels', globex.headers('admin')), 200).data as any[]).map((x) => x.id)).toEqual([globexChannel.id]);
    // At rest: ciphertext, not the password (read as the application role, under RLS).
    const rows = await asTenantRole(acme.tenant.id, async (db) => (await db.query(`SELECT config FROM channels WHERE id = $1`, [acmeChannel.id])).rows);
    expect(Buffer.from(rows[0].config).toString('latin1')).not.toContain('sink-password-123');
    expect(await asTenantRole(globex.tenant.id, async (db) => (await db.query(`SELECT id FROM channels WHERE id = $1`, [acmeChannel.id])).rows)).toEqual([]);

    // If-Match, and the audit log names no secret.
    expectProblem(await c.patch(`/v1/channels/${acmeChannel.id}`, { name: 'Support inbox' }, acme.headers('admin')), 428);
    expectProblem(await c.patch(`/v1/channels/${acmeChannel.id}`, { name: 'Support inbox' }, acme.headers('admin', { 'if-match': 'W/"99"' })), 412);
    const renamed = expectStatus(await c.patch(`/v1/channels/${acmeChannel.id}`, { name: 'Support inbox' }, acme.headers('admin', { 'if-match': read.headers.get('etag')! })), 200);
    expect(renamed).toMatchObject({ name: 'Support inbox', version: 2 });
    expect(renamed.webhookSecret).toBeUndefined();
    const audit = await c.get('/v1/audit-logs?limit=100', acme.headers('admin'));
    expect(audit.text).toContain('channel.created');
    expect(audit.text).not.toContain('sink-password-123');
    expect(audit.text).not.toContain(acmeChannel.webhookSecret);
  });

  it('authenticates the webhook per channel: no secret, a wrong or foreign one, a bad or stale signature are 401; a replay is stored once', async () => {
    const raw = fixture('gmail-new.eml', { CHANNEL_ADDRESS: acmeAddress, SENDER: sender });
    expectProblem(await postMime(api.url, acmeChannel.id, raw), 401, 'webhook-unauthorized');
    expectProblem(await postMime(api.url, acmeChannel.id, raw, { token: 'whsec_wrong' }), 401, 'webhook-unauthorized');
    expectProblem(await postMime(api.url, acmeChannel.id, raw, { token: globexChannel.webhookSecret }), 401, 'webhook-unauthorized');
    expectProblem(await postMime(api.url, acmeChannel.id, raw, { secret: acmeChannel.webhookSecret, signWith: globexChannel.webhookSecret }), 401, 'webhook-unauthorized');
    expectProblem(await postMime(api.url, acmeChannel.id, raw, { secret: acmeChannel.webhookSecret, at: Math.floor(Date.now() / 1000) - 3600 }), 401, 'webhook-signature-expired');
    expectProblem(await postMime(api.url, RANDOM_UUID, raw, { token: acmeChannel.webhookSecret }), 401);
    expectProblem(await postMime(api.url, acmeChannel.id, Buffer.from('just some words, no headers'), { token: acmeChannel.webhookSecret }), 400);
    expectProblem(await postMime(api.url, acmeChannel.id, raw, { token: acmeChannel.webhookSecret, field: 'other' }), 400);
    expectProblem(await c.post(`/v1/channels/${acmeChannel.id}/inbound/email?token=${acmeChannel.webhookSecret}`, { email: raw.toString() }), 415);
    const big = Buffer.concat([raw, Buffer.alloc(300 * 1024, 'a')]);
    expectProblem(await postMime(api.url, acmeChannel.id, big, { token: acmeChannel.webhookSecret }), 413);

    const first = expectStatus(await postMime(api.url, acmeChannel.id, raw, { secret: acmeChannel.webhookSecret }), 202);
    const replay = expectStatus(await postMime(api.url, acmeChannel.id, raw, { secret: acmeChannel.webhookSecret }), 202);
    expect(replay).toMatchObject({ id: first.id, duplicate: true });
    const row = await settled(acme, first.id);
    expect(row).toMatchObject({ status: 'processed', classification: 'message', sender, receivedVia: 'webhook' });
    expect((await inbound(acme)).filter((i) => i.externalId === '<caf=k9zq3vj1xgmail0001@mail.gmail.com>')).toHaveLength(1);
    // Nothing of acme's mail is globex's.
    expect(await inbound(globex)).toEqual([]);
    expectProblem(await c.get(`/v1/channels/inbound/${first.id}/raw`, globex.headers('agent')), 404);
  });

  let ticketId: string;
  let token: string;
  let outboundId: string;

  it('turns a Gmail message into a ticket from a found-or-created contact, with the allowed attachment and the original MIME', async () => {
    const row = (await inbound(acme)).find((i) => i.externalId === '<caf=k9zq3vj1xgmail0001@mail.gmail.com>')!;
    ticketId = row.ticketId;
    const ticket = expectStatus(await c.get(`/v1/tickets/${ticketId}`, acme.headers('agent')), 200);
    expect(ticket).toMatchObject({ subject: 'Heating makes a knocking noise', channel: 'email', status: 'new' });
    const contact = expectStatus(await c.get(`/v1/contacts/${ticket.requesterId}`, acme.headers('agent')), 200);
    expect(contact).toMatchObject({ name: 'Pat Sender', emails: [sender] });
    const [message] = await messages(acme, ticketId);
    expect(message).toMatchObject({ authorType: 'contact', authorId: contact.id, visibility: 'public', id: row.ticketMessageId });
    expect(message.body).toContain('knocking noise');
    const attachments = expectStatus(await c.get(`/v1/tickets/${ticketId}/attachments`, acme.headers('agent')), 200).data;
    expect(attachments.map((a: any) => [a.filename, a.contentType])).toEqual([['display.png', 'image/png']]);
    const raw = await fetch(`${api.url}/v1/channels/inbound/${row.id}/raw`, { headers: acme.headers('agent') });
    expect(raw.headers.get('content-type')).toMatch(/^message\/rfc822/);
    expect(await raw.text()).toContain('invoice.pdf.exe');
  });

  it('keeps an inbound message whose file would take the tenant past its plan’s storage, without the file, and tells agents in an internal note', async () => {
    // asTenantRole rolls back: the totals are written (and restored) with a connection of their own.
    const usage = async (bytes: number | null) => {
      const db = new Client({ connectionString: process.env.E2E_DATABASE_URL });
      await db.connect();
      try {
        const [row] = (await db.query(`SELECT bytes FROM ticket_attachment_usage WHERE tenant_id = $1`, [globex.tenant.id])).rows;
        if (bytes !== null) await db.query(`INSERT INTO ticket_attachment_usage (tenant_id, files, bytes) VALUES ($1, 1, $2) ON CONFLICT (tenant_id) DO UPDATE SET bytes = EXCLUDED.bytes`, [globex.tenant.id, bytes]);
        return Number(row?.bytes ?? 0);
      } finally {
        await db.end();
      }
    };
    // A gigabyte of uploads would take too long: the tenant's totals (what the check reads) set to just under the Free plan's.
    const before = await usage(1_073_741_824 - 10);
    expectStatus(await c.put(`/v1/admin/tenants/${globex.tenant.id}/subscription`, { plan: 'free', status: 'active' }, adminHeaders()), 200);
    try {
      const mime = Buffer.from(fixture('gmail-new.eml', { CHANNEL_ADDRESS: globexAddress, SENDER: `quota-${suffix}@customer.example` }).toString('utf8').replace('CAF=k9Zq3vJ1xGmail0001', `quota-${suffix}`));
      const row = await settled(globex, expectStatus(await postMime(api.url, globexChannel.id, mime, { token: globexChannel.webhookSecret }), 202).id);
      expect(row).toMatchObject({ status: 'processed', classification: 'message' });
      expect(expectStatus(await c.get(`/v1/tickets/${row.ticketId}/attachments`, globex.headers('agent')), 200).data).toEqual([]);
      const all = await messages(globex, row.ticketId);
      expect(all.find((m) => m.visibility === 'public')?.body).toContain('knocking noise');
      const note = all.find((m) => m.visibility === 'internal');
      expect(note?.body).toContain('An attachment was not kept (display.png)');
      expect(note?.body).toContain('The Free plan includes 1 GiB of stored files');
    } finally {
      expectStatus(await c.put(`/v1/admin/tenants/${globex.tenant.id}/subscription`, { plan: 'business', status: 'active' }, adminHeaders()), 200);
      await usage(before);
    }
  });

  it('sends a public agent reply through SMTP with Message-ID, In-Reply-To, References, the reply token and the signature; internal notes stay inside', async () => {
    const console = await readyAgent(api.url, acme.tokens.agent);
    try {
      expectStatus(await c.post(`/v1/tickets/${ticketId}/messages`, { body: 'A note for colleagues', visibility: 'internal' }, acme.headers('agent')), 201);
      const reply = expectStatus(await c.post(`/v1/tickets/${ticketId}/messages`, { body: 'Thanks Pat, a technician can come on Tuesday. Does 10:00 suit you?' }, acme.headers('agent')), 201);
      const sent = await delivery(acme, reply.id, 'sent');
      expect(sent).toMatchObject({ recipient: sender, attempts: 1, providerMessageId: expect.stringMatching(/^SINK\d+$/), error: null });
      await console.next('ticket.message_delivery', (d) => d.messageId === reply.id && d.status === 'sent');
      const mail = await waitFor(async () => sink.received.find((m) => m.parsed.messageId === sent.messageId), 'the reply at the sink');
      token = /\[t_([a-z0-9]{16})\]/.exec(mail.parsed.subject!)![1]!;
      outboundId = sent.messageId;
      expect(mail.envelope.to).toEqual([sender]);
      expect(mail.parsed.subject).toBe(`Re: Heating makes a knocking noise [t_${token}]`);
      expect(mail.parsed.inReplyTo).toBe('<caf=k9zq3vj1xgmail0001@mail.gmail.com>');
      expect(mail.parsed.replyTo!.value[0]!.address).toBe(acmeAddress.replace('@', `+t_${token}@`));
      expect(mail.parsed.from!.value[0]).toMatchObject({ address: acmeAddress, name: 'Acme Support' });
      expect(mail.parsed.text).toContain('Does 10:00 suit you?');
      expect(mail.parsed.text).toContain('Acme Heating · +49 30 1234');
      expect(mail.parsed.headers.get('thread-index')).toBeTruthy();
      // Only the public reply left.
      expect(sink.received.filter((m) => m.parsed.text?.includes('A note for colleagues'))).toEqual([]);
    } finally {
      console.close();
    }
  }, 120_000);

  it('signs a reply with the signature of the group working the ticket, else the channel’s', async () => {
    const group = expectStatus(await c.post('/v1/groups', { name: `Heating team ${Date.now()}`, emailSignature: 'The Heating Team · Acme' }, acme.headers('admin')), 201);
    const ticket = expectStatus(await c.get(`/v1/tickets/${ticketId}`, acme.headers('agent')), 200);
    expectStatus(await c.patch(`/v1/tickets/${ticketId}`, { groupId: group.id }, acme.headers('agent', { 'if-match': `W/"${ticket.version}"` })), 200);
    const reply = expectStatus(await c.post(`/v1/tickets/${ticketId}/messages`, { body: 'Our heating team will call you today.' }, acme.headers('agent')), 201);
    const sent = await delivery(acme, reply.id, 'sent');
    const mail = await waitFor(async () => sink.received.find((m) => m.parsed.messageId === sent.messageId), 'the group-signed reply at the sink');
    expect(mail.parsed.text).toContain('The Heating Team · Acme');
    expect(mail.parsed.text).not.toContain('Acme Heating · +49 30 1234');
    const current = expectStatus(await c.get(`/v1/tickets/${ticketId}`, acme.headers('agent')), 200);
    expectStatus(await c.patch(`/v1/tickets/${ticketId}`, { groupId: null }, acme.headers('agent', { 'if-match': `W/"${current.version}"` })), 200);
  }, 120_000);

  it('threads replies: Gmail by In-Reply-To, Apple Mail by the reply-to token when the referenced mail never arrived, a forward by the subject token', async () => {
    const vars = { CHANNEL_ADDRESS: acmeAddress, SENDER: sender, TOKEN: token, OUTBOUND_MESSAGE_ID: outboundId, REPLY_TO: acmeAddress.replace('@', `+t_${token}@`), COLLEAGUE: `sam-${suffix}@customer.example` };
    for (const [name, expected] of [
      ['gmail-reply.eml', 'Tuesday at 10 works for us.'],
      ['apple-mail-reply.eml', 'One more thing: the noise is loudest in the morning.'],
    ] as const) {
      const accepted = expectStatus(await postMime(api.url, acmeChannel.id, fixture(name, vars), { token: acmeChannel.webhookSecret }), 202);
      const row = await settled(acme, accepted.id);
      expect(row).toMatchObject({ status: 'processed', ticketId });
      const body = (await messages(acme, ticketId)).find((m) => m.id === row.ticketMessageId).body;
      expect(body).toBe(expected); // quoted history and footers stripped
    }
    const fwd = await settled(acme, expectStatus(await postMime(api.url, acmeChannel.id, fixture('forwarded.eml', vars), { token: acmeChannel.webhookSecret }), 202).id);
    expect(fwd.ticketId).toBe(ticketId);
    const forwarded = (await messages(acme, ticketId)).find((m) => m.id === fwd.ticketMessageId);
    expect(forwarded.body).toContain('the service log is in the cellar');
    // The forwarder is a contact of their own, writing on the ticket.
    expect(expectStatus(await c.get(`/v1/contacts/${forwarded.authorId}`, acme.headers('agent')), 200).emails).toEqual([vars.COLLEAGUE]);
  }, 120_000);

  it('threads an Outlook reply that carries only Thread-Index, and strips Outlook’s quoted header block', async () => {
    const vars = { CHANNEL_ADDRESS: acmeAddress, SENDER: `kim-${suffix}@customer.example` };
    const first = await settled(acme, expectStatus(await postMime(api.url, acmeChannel.id, fixture('outlook-first.eml', vars), { token: acmeChannel.webhookSecret }), 202).id);
    expect(first.ticketId).not.toBe(ticketId);
    const reply = await settled(acme, expectStatus(await postMime(api.url, acmeChannel.id, fixture('outlook-reply.eml', vars), { token: acmeChannel.webhookSecret }), 202).id);
    expect(reply).toMatchObject({ status: 'processed', ticketId: first.ticketId });
    expect((await messages(acme, first.ticketId)).map((m) => m.body)).toEqual([expect.stringContaining('charges two visits'), 'I found the delivery note, it says one visit on 3 December.']);
  }, 120_000);

  it('an out-of-office becomes an internal note and never reopens; a DSN fails the delivery with the reason and marks the address bouncing; own mail is a loop', async () => {
    const ticket = expectStatus(await c.get(`/v1/tickets/${ticketId}`, acme.headers('agent')), 200);
    const solved = await c.patch(`/v1/tickets/${ticketId}`, { status: 'solved' }, acme.headers('agent', { 'if-match': `W/"${ticket.version}"` }));
    expectStatus(solved, 200);
    const vars = { CHANNEL_ADDRESS: acmeAddress, SENDER: sender, TOKEN: token, OUTBOUND_MESSAGE_ID: outboundId, REPLY_TO: acmeAddress.replace('@', `+t_${token}@`), BOUNCED: sender };
    const before = sink.received.length;
    const ooo = await settled(acme, expectStatus(await postMime(api.url, acmeChannel.id, fixture('out-of-office.eml', vars), { token: acmeChannel.webhookSecret }), 202).id);
    expect(ooo).toMatchObject({ status: 'processed', classification: 'auto_reply', ticketId });
    const note = (await messages(acme, ticketId)).find((m) => m.id === ooo.ticketMessageId);
    expect(note).toMatchObject({ visibility: 'internal' });
    expect(note.body).toContain('out of the office');
    expect(expectStatus(await c.get(`/v1/tickets/${ticketId}`, acme.headers('agent')), 200).status).toBe('solved');

    const dsn = await settled(acme, expectStatus(await postMime(api.url, acmeChannel.id, fixture('dsn-bounce.eml', vars), { token: acmeChannel.webhookSecret }), 202).id);
    expect(dsn).toMatchObject({ status: 'processed', classification: 'bounce', ticketId });
    const failed = (expectStatus(await c.get('/v1/channels/deliveries?status=failed', acme.headers('agent')), 200).data as any[]).find((d) => d.messageId === outboundId);
    expect(failed.error).toContain('550 5.1.1');
    const bouncing = await asTenantRole(acme.tenant.id, async (db) => (await db.query(`SELECT address, bounces FROM channel_bouncing_addresses`)).rows);
    expect(bouncing).toEqual([{ address: sender, bounces: 1 }]);
    expect(expectStatus(await c.get(`/v1/tickets/${ticketId}`, acme.headers('agent')), 200).status).toBe('solved');

    const loop = await settled(acme, expectStatus(await postMime(api.url, acmeChannel.id, Buffer.from(fixture('gmail-new.eml', { CHANNEL_ADDRESS: acmeAddress, SENDER: acmeAddress }).toString().replace('Gmail0001', 'Loop0001')), { token: acmeChannel.webhookSecret }), 202).id);
    expect(loop).toMatchObject({ status: 'ignored', classification: 'loop', ticketId: null });
    // None of these triggered a reply.
    await new Promise((r) => setTimeout(r, 500));
    expect(sink.received.length).toBe(before);
  }, 120_000);

  it('retries a temporary SMTP failure with backoff, dead-letters a permanent one with the provider’s reason, and retries it from the API', async () => {
    const mime = fixture('gmail-new.eml', { CHANNEL_ADDRESS: globexAddress, SENDER: `lee-${suffix}@customer.example` });
    const row = await settled(globex, expectStatus(await postMime(api.url, globexChannel.id, mime, { token: globexChannel.webhookSecret }), 202).id);
    expect(row.status).toBe('processed');
    expectProblem(await c.get(`/v1/tickets/${row.ticketId}`, acme.headers('agent')), 404);

    sink.state.answer = 'tempfail';
    const first = expectStatus(await c.post(`/v1/tickets/${row.ticketId}/messages`, { body: 'We are looking into it.' }, globex.headers('agent')), 201);
    await waitFor(async () => {
      const d = (expectStatus(await c.get(`/v1/channels/deliveries?ticketId=${row.ticketId}`, globex.headers('agent')), 200).data as any[])[0];
      return d && d.attempts >= 2 && d.status === 'queued' ? d : undefined;
    }, 'two attempts with a retry queued');
    sink.state.answer = 'accept';
    const sent = await delivery(globex, first.id, 'sent');
    expect(sent.attempts).toBeGreaterThanOrEqual(2);
    // A retried job never sends twice: one copy at the sink.
    await new Promise((r) => setTimeout(r, 1500));
    expect(sink.received.filter((m) => m.parsed.messageId === sent.messageId)).toHaveLength(1);

    sink.state.answer = 'reject';
    const second = expectStatus(await c.post(`/v1/tickets/${row.ticketId}/messages`, { body: 'Second reply' }, globex.headers('agent')), 201);
    const dead = await delivery(globex, second.id, 'failed');
    expect(dead).toMatchObject({ attempts: 1, error: expect.stringContaining('550') });
    expect((expectStatus(await c.get('/v1/channels/deliveries?status=failed', globex.headers('viewer')), 200).data as any[]).map((d) => d.id)).toContain(dead.id);
    // Dead letters are per tenant.
    expect((expectStatus(await c.get('/v1/channels/deliveries?status=failed', acme.headers('agent')), 200).data as any[]).map((d) => d.id)).not.toContain(dead.id);
    expectProblem(await c.post(`/v1/channels/deliveries/${dead.id}/retry`, {}, acme.headers('agent')), 404);
    expectProblem(await c.post(`/v1/channels/deliveries/${dead.id}/retry`, {}, globex.headers('viewer')), 403);
    expectProblem(await c.post(`/v1/channels/deliveries/${sent.id}/retry`, {}, globex.headers('agent')), 409, 'delivery-not-failed');
    expectProblem(await c.get('/v1/channels/deliveries?status=bogus', globex.headers('agent')), 400);
    sink.state.answer = 'accept';
    expect(expectStatus(await c.post(`/v1/channels/deliveries/${dead.id}/retry`, {}, globex.headers('agent')), 200)).toMatchObject({ status: 'queued', attempts: 0 });
    const retried = await delivery(globex, second.id, 'sent');
    expect(retried.messageId).toBe(dead.messageId);
  }, 120_000);

  it('a reply token of another tenant never threads into that tenant’s ticket', async () => {
    const vars = { CHANNEL_ADDRESS: globexAddress, SENDER: sender, TOKEN: token, OUTBOUND_MESSAGE_ID: outboundId, REPLY_TO: globexAddress.replace('@', `+t_${token}@`) };
    const row = await settled(globex, expectStatus(await postMime(api.url, globexChannel.id, fixture('apple-mail-reply.eml', vars), { token: globexChannel.webhookSecret }), 202).id);
    expect(row.status).toBe('processed');
    expect(row.ticketId).not.toBe(ticketId);
    expect((await messages(acme, ticketId)).some((m) => m.id === row.ticketMessageId)).toBe(false);
  }, 120_000);

  it('receives mail over SMTP for a channel’s address (with a +tag too) and refuses unknown recipients at RCPT', async () => {
    const transport = createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true });
    try {
      const info = await transport.sendMail({ from: `Robin <robin-${suffix}@customer.example>`, to: acmeAddress.replace('@', '+sales@'), subject: 'Quote for a new boiler', text: 'Could you send a quote?', messageId: `<smtp-${suffix}@customer.example>` });
      expect(info.accepted).toHaveLength(1);
      const row = await waitFor(async () => (await inbound(acme)).find((i) => i.externalId === `<smtp-${suffix}@customer.example>`), 'the SMTP mail stored');
      expect((await settled(acme, row.id)).receivedVia).toBe('smtp');
      await expect(transport.sendMail({ from: 'x@customer.example', to: `nobody-${suffix}@acme.example`, subject: 'x', text: 'x' })).rejects.toMatchObject({ responseCode: 550 });
    } finally {
      transport.close();
    }
  }, 120_000);

  it('erasing a contact wipes the raw MIME of mail naming them and their address from the channel tables', async () => {
    const kim = `kim-${suffix}@customer.example`;
    const rows = (await inbound(acme, '?limit=100')).filter((i) => i.sender === kim);
    expect(rows).toHaveLength(2);
    const ticket = expectStatus(await c.get(`/v1/tickets/${rows[0].ticketId}`, acme.headers('agent')), 200);
    expectStatus(await c.post(`/v1/contacts/${ticket.requesterId}/erase`, undefined, acme.headers('owner')), 202);
    await waitFor(async () => expectStatus(await c.get(`/v1/contacts/${ticket.requesterId}/erasure`, acme.headers('owner')), 200).status === 'completed', 'the erasure to complete', 60_000);
    for (const row of rows) {
      const raw = await (await fetch(`${api.url}/v1/channels/inbound/${row.id}/raw`, { headers: acme.headers('agent') })).text();
      expect(raw).not.toContain(kim);
      expect(raw).toContain('erased');
    }
    const after = await inbound(acme, '?limit=100');
    expect(after.some((i) => i.sender === kim)).toBe(false);
    expect(JSON.stringify(after)).not.toContain(kim);
  }, 120_000);

  it('a reply to a ticket that was merged lands in the ticket it was merged into', async () => {
    const from = `lee-${suffix}@customer.example`;
    const mail = (messageId: string, body: string, inReplyTo?: string) =>
      Buffer.from(
        [`From: Lee <${from}>`, `To: ${acmeAddress}`, 'Subject: Radiator cold upstairs', `Message-ID: <${messageId}@customer.example>`, ...(inReplyTo ? [`In-Reply-To: <${inReplyTo}@customer.example>`] : []), 'Date: Tue, 8 Dec 2026 10:00:00 +0100', 'Content-Type: text/plain; charset=utf-8', '', body, ''].join('\r\n'),
      );
    const first = await settled(acme, expectStatus(await postMime(api.url, acmeChannel.id, mail(`merge-1-${suffix}`, 'The radiator upstairs stays cold.'), { token: acmeChannel.webhookSecret }), 202).id);
    expect(first.status).toBe('processed');
    const target = expectStatus(await c.post('/v1/tickets', { subject: 'Heating upstairs', requester: { email: from } }, acme.headers('agent')), 201);
    expectStatus(await c.post(`/v1/tickets/${first.ticketId}/merge`, { targetId: target.id }, acme.headers('agent')), 200);

    const reply = await settled(acme, expectStatus(await postMime(api.url, acmeChannel.id, mail(`merge-2-${suffix}`, 'Still cold this morning.', `merge-1-${suffix}`), { token: acmeChannel.webhookSecret }), 202).id);
    expect(reply).toMatchObject({ status: 'processed', ticketId: target.id });
    expect((await messages(acme, target.id)).map((m) => m.body)).toEqual(['The radiator upstairs stays cold.', 'Still cold this morning.']);
    expect(await messages(acme, first.ticketId)).toEqual([]);
    expect(expectStatus(await c.get(`/v1/tickets/${first.ticketId}`, acme.headers('agent')), 200)).toMatchObject({ status: 'closed', mergedIntoId: target.id });
  }, 60_000);

  it('a mail bomb of 1,000 messages from one sender: every one accepted and stored, processed at the sender’s capped rate', async () => {
    const bomber = `bomb-${suffix}@spam.example`;
    const mime = (i: number) => Buffer.from(`From: ${bomber}\r\nTo: ${acmeAddress}\r\nSubject: Bomb ${i}\r\nMessage-ID: <bomb-${i}-${suffix}@spam.example>\r\n\r\nMessage ${i}\r\n`);
    let next = 0;
    const statuses: number[] = [];
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < 1000) {
          const i = next++;
          statuses.push((await postMime(api.url, acmeChannel.id, mime(i), { token: acmeChannel.webhookSecret })).status);
        }
      }),
    );
    expect(statuses.filter((s) => s === 202)).toHaveLength(1000);
    const rows = await asTenantRole(acme.tenant.id, async (db) => (await db.query(`SELECT status, not_before, created_at FROM channel_inbound WHERE sender = $1`, [bomber])).rows);
    expect(rows).toHaveLength(1000);
    // 600 a minute after a burst of 20: the last waits about (1000 - 20) × 100 ms past the first.
    const spread = Math.max(...rows.map((r) => new Date(r.not_before).getTime())) - Math.min(...rows.map((r) => new Date(r.not_before).getTime()));
    expect(spread).toBeGreaterThan(80_000);
    const done = rows.filter((r) => r.status !== 'pending').length;
    const elapsed = Math.max(...rows.map((r) => Date.now() - new Date(r.created_at).getTime()));
    expect(done).toBeLessThanOrEqual(20 + Math.ceil(elapsed / 100) + 5);
  }, 300_000); // 1,000 webhook posts: about a minute alone, much longer on a busy 2-core machine
});
