import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { startApi, startWorker, waitFor, type RunningApi } from '../support/processes';
import { createTwoTenants, type TenantSession } from '../support/tenants';
import { asTenantRole, client, expectProblem, expectStatus, pgErrorCode, RANDOM_UUID } from '../support/http';

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  at: number;
}

/**
 * A receiver on loopback (reachable only because the test-only WEBHOOKS_ALLOW_LOOPBACK_HTTP is on),
 * answering by path: /ok, /flaky (500 once), /retry-after (503 with Retry-After: 1 once), /gone
 * (410), /slow (longer than the timeout), /redirect (302 to a loopback path it then watches),
 * /down (always 500).
 */
class Receiver {
  readonly received: Received[] = [];
  private readonly seen = new Map<string, number>();
  private server!: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const path = req.url ?? '/';
        this.received.push({ path, headers: req.headers, body, at: Date.now() });
        const n = (this.seen.get(path) ?? 0) + 1;
        this.seen.set(path, n);
        const answer = (status: number, headers: Record<string, string> = {}, text = '') => res.writeHead(status, headers).end(text);
        if (path.startsWith('/ok') || path === '/b') return answer(200, { 'content-type': 'text/plain' }, `thanks ${'x'.repeat(3000)}`);
        if (path === '/flaky') return n === 1 ? answer(500, {}, 'boom') : answer(204);
        if (path === '/retry-after') return n === 1 ? answer(503, { 'retry-after': '1' }, 'busy') : answer(200);
        if (path === '/gone') return answer(410, {}, 'gone');
        if (path === '/slow') return void setTimeout(() => answer(200), 2_500).unref();
        if (path === '/redirect') return answer(302, { location: `${this.url}/redirected` });
        return answer(500, {}, 'down');
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  at(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** What a receiver does (the README's snippet): HMAC-SHA256 over "<id>.<timestamp>.<body>" with the decoded secret, any v1 signature matching. */
function verifies(secret: string, r: Received): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = Buffer.from(createHmac('sha256', key).update(`${String(r.headers['webhook-id'])}.${String(r.headers['webhook-timestamp'])}.${r.body}`).digest('base64'));
  return String(r.headers['webhook-signature'])
    .split(' ')
    .some((sig) => {
      const [version, value] = sig.split(',');
      const given = Buffer.from(value ?? '');
      return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
    });
}

describe('outbound webhooks', () => {
  let api: RunningApi;
  let worker: Awaited<ReturnType<typeof startWorker>>;
  let receiver: Receiver;
  let acme: TenantSession;
  let globex: TenantSession;
  let http: ReturnType<typeof client>;
  const endpoints: Record<string, { id: string; secret: string }> = {};
  const env = { WEBHOOKS_ALLOW_LOOPBACK_HTTP: 'true', WEBHOOKS_TIMEOUT_MS: '1000', WEBHOOKS_RETRY_BASE_MS: '200', WEBHOOKS_RETRY_MAX_DELAY_MS: '2000', WEBHOOKS_DISABLE_AFTER_MS: '4000' };

  beforeAll(async () => {
    receiver = await new Receiver().start();
    [api, worker] = await Promise.all([startApi(env), startWorker({ ...env, OUTBOX_POLL_MS: '50' })]);
    http = client(api.url);
    [acme, globex] = await createTwoTenants(api.url);
  });
  afterAll(async () => {
    await worker?.stop();
    await api?.stop();
    await receiver?.stop();
  });

  const create = async (t: TenantSession, name: string, path: string, eventTypes: string[]) => {
    const res = expectStatus(await http.post('/v1/webhooks', { url: `${receiver.url}${path}`, description: name, eventTypes }, t.headers('admin')), 201);
    expect(res.secret).toMatch(/^whsec_/);
    endpoints[name] = { id: res.id, secret: res.secret };
    return res;
  };
  const ticket = async (t: TenantSession, subject: string) =>
    expectStatus(await http.post('/v1/tickets', { subject, requester: { email: `pat.${subject.replace(/\W/g, '')}@customer.test`, name: 'Pat' } }, t.headers('agent')), 201);
  const deliveries = async (t: TenantSession, name: string) => expectStatus(await http.get(`/v1/webhooks/${endpoints[name]!.id}/deliveries`, t.headers('admin')), 200).data as any[];
  const endpoint = async (t: TenantSession, name: string) => expectStatus(await http.get(`/v1/webhooks/${endpoints[name]!.id}`, t.headers('admin')), 200);
  const mailsTo = (email: string) => {
    let text = '';
    try {
      text = readFileSync(join(process.env.E2E_DATA_DIR!, 'mail', 'outbox.jsonl'), 'utf8');
    } catch {
      return [];
    }
    return text.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { to: string; subject: string; text: string }).filter((m) => m.to === email);
  };

  it('refuses hostile input: non-https, private, ftp and unparseable URLs, bad and huge filters; agents may not manage webhooks', async () => {
    const bad = [
      { url: 'http://example.com/hook', eventTypes: ['*'] },
      { url: 'https://10.0.0.1/hook', eventTypes: ['*'] },
      { url: 'https://169.254.169.254/latest', eventTypes: ['*'] },
      { url: 'https://[fd00::1]/hook', eventTypes: ['*'] },
      { url: 'https://192.168.1.20/hook', eventTypes: ['*'] },
      { url: 'ftp://example.com/hook', eventTypes: ['*'] },
      { url: 'not a url', eventTypes: ['*'] },
      { url: 'https://user:pw@example.com/hook', eventTypes: ['*'] },
      { url: 'https://example.com/hook', eventTypes: [] },
      { url: 'https://example.com/hook', eventTypes: ['ticket*'] },
      { url: 'https://example.com/hook', eventTypes: ['x'.repeat(5_000)] },
      { url: 'https://example.com/hook', eventTypes: Array.from({ length: 5_000 }, (_, i) => `t${i}.created`) },
    ];
    for (const body of bad) {
      const res = await http.post('/v1/webhooks', body, acme.headers('admin'));
      expect({ url: body.url.slice(0, 40), filter: body.eventTypes.length, bad: [400, 422].includes(res.status) }).toEqual({ url: body.url.slice(0, 40), filter: body.eventTypes.length, bad: true });
      expectProblem(res, res.status);
    }
    const unknown = await http.post('/v1/webhooks', { url: 'https://example.com/hook', eventTypes: ['*'], secret: 'mine' }, acme.headers('admin'));
    expect([400, 422]).toContain(unknown.status);
    expectProblem(await http.post('/v1/webhooks', { url: 'https://example.com/hook', eventTypes: ['*'] }, acme.headers('agent')), 403);
    expectStatus(await http.get('/v1/webhooks', acme.headers('admin')), 200);
    expect((await http.get('/v1/webhooks', acme.headers('admin'))).body.data).toEqual([]);
  });

  it('delivers signed events by filter, retries after a 500 and after Retry-After, disables on 410, times out a slow receiver and never follows a redirect', async () => {
    await create(acme, 'ok', '/ok', ['*']);
    await create(acme, 'flaky', '/flaky', ['ticket.created']);
    await create(acme, 'retryAfter', '/retry-after', ['ticket.created']);
    await create(acme, 'prefix', '/ok-prefix', ['ticket.*']);
    await create(acme, 'gone', '/gone', ['ticket.created']);
    await create(acme, 'slow', '/slow', ['ticket.created']);
    await create(acme, 'redirect', '/redirect', ['ticket.created']);
    await create(acme, 'groupsOnly', '/ok-groups', ['group.*']);
    await create(globex, 'b', '/b', ['*']);

    const t = await ticket(acme, 'Webhook one');
    const ok = await waitFor(async () => receiver.at('/ok').find((r) => JSON.parse(r.body).type === 'ticket.created'), 'the ok endpoint to receive ticket.created');
    const body = JSON.parse(ok.body);
    expect(body).toMatchObject({ type: 'ticket.created', version: expect.any(Number), tenantId: acme.tenant.id, occurredAt: expect.any(String), data: expect.objectContaining({ ticketId: t.id, ticket: expect.objectContaining({ id: t.id, subject: 'Webhook one' }) }) });
    expect(body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(ok.headers['webhook-event-type']).toBe('ticket.created');
    expect(ok.headers['content-type']).toBe('application/json');
    expect(verifies(endpoints.ok!.secret, ok)).toBe(true);
    expect(verifies(endpoints.flaky!.secret, ok)).toBe(false);

    // 500, then a retry with the same Webhook-Id and body, which succeeds.
    const flaky = await waitFor(async () => (receiver.at('/flaky').length >= 2 ? receiver.at('/flaky') : undefined), 'the retry after a 500');
    expect(flaky[1]!.headers['webhook-id']).toBe(flaky[0]!.headers['webhook-id']);
    expect(flaky[1]!.body).toBe(flaky[0]!.body);
    expect(verifies(endpoints.flaky!.secret, flaky[1]!)).toBe(true);
    const [flakyDelivery] = await waitFor(async () => ((await deliveries(acme, 'flaky'))[0]?.status === 'succeeded' ? deliveries(acme, 'flaky') : undefined), 'the flaky delivery to succeed');
    expect(flakyDelivery).toMatchObject({ id: flaky[0]!.headers['webhook-id'], eventType: 'ticket.created', attempts: 2, responseStatus: 204, nextAttemptAt: null });

    // 503 with Retry-After: 1 — the retry comes no sooner than the second it asked for (backoff alone would be ~0.2 s).
    const [busy, retried] = await waitFor(async () => (receiver.at('/retry-after').length >= 2 ? receiver.at('/retry-after') : undefined), 'the retry after Retry-After');
    expect(retried!.headers['webhook-id']).toBe(busy!.headers['webhook-id']);
    expect(retried!.at - busy!.at).toBeGreaterThanOrEqual(950);
    await waitFor(async () => (await deliveries(acme, 'retryAfter')).find((d) => d.status === 'succeeded' && d.attempts === 2), 'the Retry-After delivery to succeed');

    // A prefix wildcard receives the ticket's events.
    await waitFor(async () => receiver.at('/ok-prefix').find((r) => JSON.parse(r.body).type === 'ticket.created'), 'the ticket.* endpoint to receive ticket.created');

    // 410 Gone disables the endpoint at once, and the owners are told.
    const gone = await waitFor(async () => ((await endpoint(acme, 'gone')).active === false ? endpoint(acme, 'gone') : undefined), 'the 410 endpoint to be disabled');
    expect(gone.disabledReason).toMatch(/410/);
    expect((await deliveries(acme, 'gone'))[0]).toMatchObject({ status: 'failed', responseStatus: 410, attempts: 1 });
    await waitFor(async () => mailsTo(acme.users.owner.email).find((m) => m.text.includes(`${receiver.url}/gone`)), 'the disabled-endpoint mail to the owner');

    // The slow receiver is cut off at the timeout.
    const slow = await waitFor(async () => (await deliveries(acme, 'slow')).find((d) => d.attempts >= 1 && d.status !== 'sending'), 'the slow delivery to time out');
    expect(slow.error).toMatch(/timed out/);
    expect(slow.responseStatus).toBeNull();

    // A redirect is a failed attempt; the redirect target is never called.
    const redirected = await waitFor(async () => (await deliveries(acme, 'redirect')).find((d) => d.attempts >= 1 && d.status !== 'sending'), 'the redirect attempt');
    expect(redirected).toMatchObject({ responseStatus: 302 });
    expect(redirected.error).toMatch(/redirect/);
    expect(receiver.at('/redirected')).toEqual([]);

    // The log keeps 2 KB of an answer; a filter for group events only received nothing.
    const okLog = await deliveries(acme, 'ok');
    expect(okLog.find((d) => d.eventType === 'ticket.created')).toMatchObject({ status: 'succeeded', attempts: 1, responseStatus: 200, durationMs: expect.any(Number) });
    expect(okLog.find((d) => d.eventType === 'ticket.created').responseBody).toHaveLength(2048);
    expect(receiver.at('/ok-groups')).toEqual([]);
    expect(await deliveries(acme, 'groupsOnly')).toEqual([]);
  });

  it('keeps tenants apart: another tenant’s endpoint id answers 404, and its events never reach the other’s endpoint', async () => {
    const b = await ticket(globex, 'Globex own');
    const received = await waitFor(async () => receiver.at('/b').find((r) => JSON.parse(r.body).data?.ticketId === b.id), 'globex to receive its own event');
    expect(verifies(endpoints.b!.secret, received)).toBe(true);
    expect(receiver.at('/b').every((r) => JSON.parse(r.body).tenantId === globex.tenant.id)).toBe(true);
    expect(receiver.received.filter((r) => r.path !== '/b').every((r) => JSON.parse(r.body).tenantId === acme.tenant.id)).toBe(true);

    const aId = endpoints.ok!.id;
    const aDelivery = (await deliveries(acme, 'ok'))[0].id;
    for (const [method, path, body] of [
      ['get', `/v1/webhooks/${aId}`],
      ['patch', `/v1/webhooks/${aId}`, { active: false }],
      ['delete', `/v1/webhooks/${aId}`],
      ['post', `/v1/webhooks/${aId}/ping`, {}],
      ['post', `/v1/webhooks/${aId}/rotate-secret`, {}],
      ['get', `/v1/webhooks/${aId}/deliveries`],
      ['post', `/v1/webhooks/${aId}/deliveries/${aDelivery}/redeliver`, {}],
      ['post', `/v1/webhooks/${endpoints.b!.id}/deliveries/${aDelivery}/redeliver`, {}],
      ['get', `/v1/webhooks/${RANDOM_UUID}`],
    ] as const) {
      const res = method === 'get' || method === 'delete' ? await http[method](path, globex.headers('admin')) : await http[method](path, body, globex.headers('admin'));
      expect({ method, path, status: res.status }).toEqual({ method, path, status: 404 });
    }
    expect((expectStatus(await http.get('/v1/webhooks', globex.headers('admin')), 200).data as { id: string }[]).map((e) => e.id)).toEqual([endpoints.b!.id]);
    // Row-level security: B's database session sees none of A's endpoints or deliveries, and cannot write one for A.
    const rls = await asTenantRole(globex.tenant.id, async (db) => ({
      seen: (await db.query(`SELECT (SELECT count(*) FROM webhook_endpoints WHERE tenant_id = $1)::int + (SELECT count(*) FROM webhook_deliveries WHERE tenant_id = $1)::int AS n`, [acme.tenant.id])).rows[0].n,
      insert: await pgErrorCode(db, `INSERT INTO webhook_endpoints (tenant_id, url, event_types, secret_key_id, secret, secret_hint) VALUES ($1, 'https://x.example', '{*}', 'k', '\\x00', 'h')`, [acme.tenant.id]),
    }));
    expect(rls).toEqual({ seen: 0, insert: '42501' });
  });

  it('pings synchronously, redelivers with the same id, and signs with both secrets for a day after a rotation', async () => {
    const ping = expectStatus(await http.post(`/v1/webhooks/${endpoints.ok!.id}/ping`, {}, acme.headers('admin')), 200);
    expect(ping).toMatchObject({ ok: true, status: 200, error: null });
    const pinged = receiver.at('/ok').find((r) => JSON.parse(r.body).type === 'webhook.ping')!;
    expect(verifies(endpoints.ok!.secret, pinged)).toBe(true);
    expect(expectStatus(await http.post(`/v1/webhooks/${endpoints.gone!.id}/ping`, {}, acme.headers('admin')), 200)).toMatchObject({ ok: false, status: 410 });

    const first = (await deliveries(acme, 'ok')).find((d) => d.eventType === 'ticket.created');
    const before = receiver.at('/ok').filter((r) => r.headers['webhook-id'] === first.id).length;
    expect(expectStatus(await http.post(`/v1/webhooks/${endpoints.ok!.id}/deliveries/${first.id}/redeliver`, {}, acme.headers('admin')), 202)).toMatchObject({ id: first.id, status: 'pending' });
    await waitFor(async () => receiver.at('/ok').filter((r) => r.headers['webhook-id'] === first.id).length > before, 'the redelivery');
    await waitFor(async () => (await deliveries(acme, 'ok')).find((d) => d.id === first.id && d.status === 'succeeded' && d.attempts === 2), 'the redelivery to be logged');
    // A disabled endpoint is turned on before redelivering.
    const goneDelivery = (await deliveries(acme, 'gone'))[0];
    expectProblem(await http.post(`/v1/webhooks/${endpoints.gone!.id}/deliveries/${goneDelivery.id}/redeliver`, {}, acme.headers('admin')), 409);

    const old = endpoints.ok!.secret;
    const rotated = expectStatus(await http.post(`/v1/webhooks/${endpoints.ok!.id}/rotate-secret`, {}, acme.headers('admin')), 200);
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(old);
    expect(new Date(rotated.previousSecretExpiresAt).getTime() - Date.now()).toBeGreaterThan(23 * 3_600_000);
    expect(expectStatus(await http.get(`/v1/webhooks/${endpoints.ok!.id}`, acme.headers('admin')), 200)).not.toHaveProperty('secret');
    const t = await ticket(acme, 'After rotation');
    const after = await waitFor(async () => receiver.at('/ok').find((r) => JSON.parse(r.body).data?.ticketId === t.id && JSON.parse(r.body).type === 'ticket.created'), 'a delivery after the rotation');
    expect(String(after.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(verifies(rotated.secret, after)).toBe(true);
    expect(verifies(old, after)).toBe(true);
  });

  it('disables an endpoint whose every attempt fails for the disable window, mails the owners, and can be turned back on', async () => {
    // The slow endpoint has timed out on every attempt since the first ticket.
    const disabled = await waitFor(async () => ((await endpoint(acme, 'slow')).active === false ? endpoint(acme, 'slow') : undefined), 'the failing endpoint to be disabled', 30_000);
    expect(disabled.disabledReason).toMatch(/failed/);
    expect(disabled.consecutiveFailures).toBeGreaterThanOrEqual(2);
    await waitFor(async () => mailsTo(acme.users.owner.email).find((m) => m.text.includes(`${receiver.url}/slow`)), 'the disabled-endpoint mail');
    await waitFor(async () => (await deliveries(acme, 'slow')).every((d) => d.status === 'failed'), 'every delivery of the disabled endpoint to be given up');

    const on = expectStatus(await http.patch(`/v1/webhooks/${endpoints.slow!.id}`, { active: true, url: `${receiver.url}/ok-again` }, acme.headers('admin', { 'if-match': `W/"${disabled.version}"` })), 200);
    expect(on).toMatchObject({ active: true, disabledReason: null, consecutiveFailures: 0, failingSince: null, url: `${receiver.url}/ok-again` });
    expectProblem(await http.patch(`/v1/webhooks/${endpoints.slow!.id}`, { active: false }, acme.headers('admin', { 'if-match': `W/"${disabled.version}"` })), 412);
    expectStatus(await http.delete(`/v1/webhooks/${endpoints.slow!.id}`, acme.headers('admin')), 204);
    expectProblem(await http.get(`/v1/webhooks/${endpoints.slow!.id}`, acme.headers('admin')), 404);
  });
});
