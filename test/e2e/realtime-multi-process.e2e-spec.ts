import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { fakeOtlpReceiver, type ReceivedSpan } from '../support/fake-otlp';
import { client, expectStatus } from '../support/http';
import { startApi, startWorker, waitFor, type RunningApi, type RunningProcess } from '../support/processes';
import { readyAgent, sleep, type AgentClient } from '../support/sockets';
import { createTenant, type TenantSession } from '../support/tenants';

/** Two api processes and a worker on one Redis: consoles hear about everything, wherever it happened. */
describe('realtime across processes', () => {
  let a: RunningApi;
  let b: RunningApi;
  let worker: RunningProcess;
  let acme: TenantSession;
  let otlp: Awaited<ReturnType<typeof fakeOtlpReceiver>>;
  const open: AgentClient[] = [];
  const env = { REALTIME_PRESENCE_TTL_MS: '2000' };
  // Api A and the worker send their spans to a collector on loopback; api B traces nothing.
  const tracing = () => ({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url, OTEL_BSP_SCHEDULE_DELAY: '100' });
  const agent = async (api: RunningApi, token: string) => {
    const s = await readyAgent(api.url, token);
    open.push(s);
    return s;
  };

  beforeAll(async () => {
    otlp = await fakeOtlpReceiver();
    [a, b, worker] = await Promise.all([startApi({ ...env, ...tracing(), LOG_LEVEL: 'info' }), startApi(env), startWorker(tracing())]);
    acme = await createTenant(a.url, 'fanout');
  });
  afterAll(async () => {
    for (const s of open) s.close();
    await Promise.all([a?.stop(), b?.stop(), worker?.stop()]);
    await otlp?.close();
  });

  it('follows a ticket in one trace from the HTTP request through the outbox, the relay and the worker job to the console push', async () => {
    const onA = await agent(a, acme.tokens.agent);
    const [traceId, callerSpanId] = [randomBytes(16).toString('hex'), randomBytes(8).toString('hex')];
    const headers = { ...acme.headers('owner'), traceparent: `00-${traceId}-${callerSpanId}-01` };
    const ticket = expectStatus(await client(a.url).post('/v1/tickets', { subject: 'Traced', requester: { email: 't@customer.example' } }, headers), 201);
    await onA.next('ticket.created', (d) => d.ticketId === ticket.id);
    // The worker's durable console push of the event (it finds the api's push done and stops there).
    const isPush = (s: ReceivedSpan) => s.service === 'switchboard-worker' && s.name === 'realtime realtime.push-missed';
    const spans = await waitFor(async () => {
      const received = otlp.trace(traceId);
      return received.some(isPush) && received.some((s) => s.service === 'switchboard-api' && s.kind === 2) && received;
    }, 'the api and the worker to export the ticket’s spans');
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const ancestry = (span: ReceivedSpan): ReceivedSpan[] => {
      const parent = byId.get(span.parentSpanId);
      return parent ? [parent, ...ancestry(parent)] : [];
    };
    const path = ancestry(spans.find(isPush)!);
    // Consumer ← relay (worker) ← the request's spans (api) up to its server span, which continued the caller's trace.
    expect(path[0]).toMatchObject({ service: 'switchboard-worker', name: 'outbox relay tickets.ticket_created', kind: 4 });
    expect(path.at(-1)).toMatchObject({ service: 'switchboard-api', kind: 2, name: 'POST /v1/tickets', parentSpanId: callerSpanId, attributes: expect.objectContaining({ 'http.route': '/v1/tickets' }) });
    // The relay's Redis writes (BullMQ's add) hang below the relay span of the event.
    const relay = path[0];
    const isRedis = (s: ReceivedSpan) => (s.attributes['db.system.name'] ?? s.attributes['db.system']) === 'redis';
    await waitFor(async () => otlp.trace(traceId).some((s) => s.service === 'switchboard-worker' && s.parentSpanId === relay.spanId && isRedis(s)), 'the relay’s Redis writes in its span');
    // The api's in-process console push is a child of the request's span, and its Redis publish a child of the push.
    const server = path.at(-1)!;
    const consolePush = await waitFor(async () => otlp.trace(traceId).find((s) => s.service === 'switchboard-api' && s.name === 'console push tickets.ticket_created'), 'the api’s console push span');
    expect(consolePush).toMatchObject({ parentSpanId: server.spanId, kind: 4, attributes: expect.objectContaining({ 'messaging.message.id': expect.any(String) }) });
    await waitFor(async () => otlp.trace(traceId).some((s) => s.parentSpanId === consolePush.spanId && isRedis(s)), 'the console push’s Redis publish in the trace');
    // Database statements of the request are in the trace too.
    expect(spans.some((s) => s.service === 'switchboard-api' && (s.attributes['db.system.name'] ?? s.attributes['db.system']) === 'postgresql')).toBe(true);
    // The request's log line carries the trace (api A logs at info).
    await waitFor(async () => a.output().includes(`"trace_id":"${traceId}"`), 'the request log line with its trace id', 5_000);
  });

  it('delivers a ticket created through api B to an agent connected to api A', async () => {
    const onA = await agent(a, acme.tokens.agent);
    const ticket = expectStatus(await client(b.url).post('/v1/tickets', { subject: 'Via B', requester: { email: 'b@customer.example' } }, acme.headers('owner')), 201);
    expect(await onA.next('ticket.created', (d) => d.ticketId === ticket.id)).toMatchObject({ version: ticket.version, ticket: { subject: 'Via B' } });
    const reply = expectStatus(await client(b.url).post(`/v1/tickets/${ticket.id}/messages`, { body: 'answered on B' }, acme.headers('owner')), 201);
    expect(await onA.next('ticket.message_added', (d) => d.message?.id === reply.id)).toMatchObject({ ticketId: ticket.id });
  });

  it('delivers the result of a worker job (tickets following a contact merge) to consoles on both apis', async () => {
    const [onA, onB] = await Promise.all([agent(a, acme.tokens.agent), agent(b, acme.tokens.owner)]);
    const api = client(b.url);
    const target = expectStatus(await api.post('/v1/contacts', { name: 'Ada', emails: ['ada@work.example'] }, acme.headers('agent')), 201);
    const source = expectStatus(await api.post('/v1/contacts', { name: 'Ada home', emails: ['ada@home.example'] }, acme.headers('agent')), 201);
    const ticket = expectStatus(await api.post('/v1/tickets', { subject: 'From home', requesterId: source.id }, acme.headers('agent')), 201);
    expectStatus(await api.post(`/v1/contacts/${target.id}/merge`, { sourceId: source.id }, acme.headers('agent')), 200);
    for (const s of [onA, onB]) {
      const updated = await s.next('ticket.updated', (d) => d.ticketId === ticket.id, 20_000);
      expect(updated).toMatchObject({ delta: { requesterId: { from: source.id, to: target.id } }, version: ticket.version + 1, actorId: acme.users.agent.userId });
    }
  });

  it('still pushes an event whose committing process died before pushing it (the worker’s durable path), and only once otherwise', async () => {
    const onA = await agent(a, acme.tokens.agent);
    const ticket = expectStatus(await client(a.url).post('/v1/tickets', { subject: 'Pushed once', requester: { email: 'o@customer.example' } }, acme.headers('owner')), 201);
    const created = await onA.next('ticket.created', (d) => d.ticketId === ticket.id);
    // A committed event that nobody pushed: written straight to the outbox, as a process that crashed after commit leaves it.
    const db = new Client({ connectionString: process.env.E2E_DATABASE_URL });
    await db.connect();
    let orphanId: string;
    try {
      const { rows } = await db.query(
        `INSERT INTO outbox (tenant_id, id, type, aggregate_type, aggregate_id, payload, occurred_at, actor_id)
         VALUES ($1, gen_random_uuid(), 'tickets.ticket_updated', 'ticket', $2, $3::jsonb, now(), $4) RETURNING id`,
        [acme.tenant.id, ticket.id, JSON.stringify({ delta: { priority: { from: 'normal', to: 'urgent' } }, version: ticket.version + 1 }), acme.users.owner.userId],
      );
      orphanId = rows[0].id;
    } finally {
      await db.end();
    }
    const orphan = await onA.next('ticket.updated', (d) => d.eventId === orphanId, 20_000);
    expect(orphan).toMatchObject({ ticketId: ticket.id, delta: { priority: { to: 'urgent' } } });
    // The pushed one was not pushed again by the worker (it processes events in order, the orphan came later).
    await sleep(500);
    expect(onA.received.filter((r) => r.data?.eventId === created.eventId)).toHaveLength(1);
  });

  it('shares collision across processes: viewers on A and B see each other typing', async () => {
    const ticket = expectStatus(await client(a.url).post('/v1/tickets', { subject: 'Shared', requester: { email: 's@customer.example' } }, acme.headers('agent')), 201);
    const [sam, kim] = await Promise.all([agent(a, acme.tokens.agent), agent(b, acme.tokens.admin)]);
    await sam.call('ticket.viewing', { ticketId: ticket.id });
    await kim.call('ticket.viewing', { ticketId: ticket.id });
    await sam.next('ticket.collision', (d) => d.ticketId === ticket.id && d.viewers.length === 2);
    await kim.call('ticket.typing', { ticketId: ticket.id, state: 'start' });
    await sam.next('ticket.collision', (d) => d.viewers.some((v: any) => v.userId === acme.users.admin.userId && v.typing));
  });

  it('counts presence across processes, and forgets the agents of an api process that died', async () => {
    const observer = await agent(a, acme.tokens.owner);
    await agent(b, acme.tokens.technician);
    await agent(a, acme.tokens.technician);
    await observer.next('presence.changed', (d) => d.userId === acme.users.technician.userId && d.connections === 2);
    observer.received.length = 0;
    b.child.kill('SIGKILL'); // no goodbye: its entries must expire (REALTIME_PRESENCE_TTL_MS=2000)
    await b.exited;
    await observer.next('presence.changed', (d) => d.userId === acme.users.technician.userId && d.connections === 1 && d.status === 'online', 10_000);
    // The admin was connected to B only (previous test): gone from the list too.
    await observer.next('presence.changed', (d) => d.userId === acme.users.admin.userId && d.status === 'offline', 10_000);
    const fresh = await agent(a, acme.tokens.viewer);
    expect(fresh.ready.agents.find((p: { userId: string }) => p.userId === acme.users.technician.userId)).toMatchObject({ connections: 1 });
    expect(fresh.ready.agents.map((p: { userId: string }) => p.userId)).not.toContain(acme.users.admin.userId);
  });
});
