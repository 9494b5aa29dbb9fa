import { client, expectStatus, RANDOM_UUID } from '../support/http';
import { startApi, waitFor, type RunningApi } from '../support/processes';
import { io } from 'socket.io-client';
import { connectAgent, readyAgent, sleep, type AgentClient } from '../support/sockets';
import { createTenant, type TenantSession } from '../support/tenants';

/** Hostile clients: malformed, oversized and flooding sockets are refused or cut off; everyone else carries on. */
describe('realtime: limits and hostile input', () => {
  let api: RunningApi;
  let acme: TenantSession;
  let c: ReturnType<typeof client>;
  const open: AgentClient[] = [];
  const agent = async (token: string) => {
    const a = await readyAgent(api.url, token);
    open.push(a);
    return a;
  };
  const closedWith = async (a: AgentClient, reason: string) => {
    const closing = await a.next('session.closing', (d) => d.reason === reason);
    await waitFor(async () => !a.socket.connected, 'the server to disconnect the socket', 5_000);
    return closing;
  };
  /** A bystander still gets live events and the api still answers: the server stayed healthy. */
  const stillHealthy = async (bystander: AgentClient) => {
    const ticket = expectStatus(await c.post('/v1/tickets', { subject: 'still alive?', requester: { email: 'x@y.example' } }, acme.headers('agent')), 201);
    await bystander.next('ticket.created', (d) => d.ticketId === ticket.id);
    expect((await fetch(`${api.url}/v1/health/ready`)).status).toBe(200);
  };

  beforeAll(async () => {
    api = await startApi({ REALTIME_MAX_PAYLOAD_BYTES: '2kb', REALTIME_EVENTS_PER_SECOND: '5', REALTIME_EVENT_BURST: '15', REALTIME_MAX_TICKET_ROOMS: '3' });
    c = client(api.url);
    acme = await createTenant(api.url, 'hostile');
  });
  afterEach(() => {
    for (const a of open.splice(0)) a.close();
  });
  afterAll(async () => {
    await api?.stop();
  });

  it('answers malformed payloads with a 400 acknowledgement, and disconnects a client that keeps sending them', async () => {
    const bystander = await agent(acme.tokens.owner);
    const a = await agent(acme.tokens.agent);
    const bad: [string, unknown][] = [
      ['ticket.viewing', { ticketId: 'not-a-uuid' }],
      ['ticket.viewing', 'just a string'],
      ['ticket.viewing', null],
      ['ticket.viewing', { ticketId: RANDOM_UUID, extra: true }],
      ['ticket.typing', { ticketId: RANDOM_UUID, state: 'dancing' }],
      ['presence.set', { status: 'invisible' }],
      ['presence.set', [1, 2, 3]],
      ['session.renew', { token: 42 }],
    ];
    for (const [event, payload] of bad) {
      const ack = await a.call(event, payload);
      expect(ack).toMatchObject({ ok: false, error: { status: 400, type: 'validation-failed' } });
      expect(ack.error.detail).toContain(event);
    }
    expect(await a.call('ticket.delete_everything', {})).toMatchObject({ ok: false, error: { status: 404, type: 'unknown-event' } });
    a.socket.emit('presence.set', { status: 'nope' }); // without an acknowledgement: still counted, no crash
    const closing = await closedWith(a, 'malformed-payloads');
    expect(closing.detail).toMatch(/malformed/);
    await stillHealthy(bystander);
  });

  it('disconnects a client that sends an oversized event, with a reason', async () => {
    const bystander = await agent(acme.tokens.owner);
    const a = await agent(acme.tokens.agent);
    a.socket.emit('ticket.viewing', { ticketId: RANDOM_UUID, padding: 'x'.repeat(3000) });
    const closing = await closedWith(a, 'payload-too-large');
    expect(closing.detail).toMatch(/2048 bytes/);
    await stillHealthy(bystander);
  });

  it('drops the transport of a client that sends a huge frame, and stays up', async () => {
    const bystander = await agent(acme.tokens.owner);
    const a = await agent(acme.tokens.agent);
    const disconnected = new Promise<string>((resolve) => a.socket.once('disconnect', (reason) => resolve(reason)));
    a.socket.emit('ticket.viewing', { ticketId: RANDOM_UUID, padding: 'x'.repeat(2 * 1024 * 1024) });
    expect(await disconnected).toMatch(/transport/);
    await stillHealthy(bystander);
  });

  it('disconnects a flooding client and keeps serving the others', async () => {
    const bystander = await agent(acme.tokens.owner);
    const a = await agent(acme.tokens.agent);
    for (let i = 0; i < 500; i++) a.socket.emit('presence.set', { status: i % 2 ? 'online' : 'away' });
    const closing = await closedWith(a, 'rate-limited');
    expect(closing.detail).toMatch(/5 events per second/);
    await stillHealthy(bystander);
    const metrics = await (await fetch(`${api.url}/metrics`)).text();
    expect(metrics).toMatch(/realtime_console_closed_total\{reason="rate-limited"\} 1/);
    expect(metrics).toMatch(/realtime_console_sockets [1-9]/);
    // A client within its budget is never cut off.
    const calm = await agent(acme.tokens.admin);
    for (let i = 0; i < 12; i++) expect((await calm.call('presence.set', { status: i % 2 ? 'online' : 'away' })).ok).toBe(true);
    await sleep(300);
    expect(calm.socket.connected).toBe(true);
  });

  it('limits the ticket rooms one socket may hold', async () => {
    const a = await agent(acme.tokens.agent);
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      ids.push(expectStatus(await c.post('/v1/tickets', { subject: `room ${i}`, requester: { email: 'r@y.example' } }, acme.headers('agent')), 201).id);
    }
    for (const id of ids.slice(0, 3)) expect(await a.call('ticket.viewing', { ticketId: id })).toMatchObject({ ok: true });
    expect(await a.call('ticket.viewing', { ticketId: ids[0] })).toMatchObject({ ok: true }); // again: not a new room
    const refused = await a.call('ticket.viewing', { ticketId: ids[3] });
    expect(refused).toMatchObject({ ok: false, error: { status: 429, type: 'too-many-rooms' } });
    expect(await a.call('ticket.left', { ticketId: ids[1] })).toMatchObject({ ok: true });
    expect(await a.call('ticket.viewing', { ticketId: ids[3] })).toMatchObject({ ok: true });
  });

  it('survives clients that connect and vanish mid-handshake', async () => {
    const bystander = await agent(acme.tokens.owner);
    for (let i = 0; i < 20; i++) {
      const ghost = connectAgent(api.url, acme.tokens.agent);
      ghost.close();
    }
    const raw = await fetch(`${api.url}/socket.io/?EIO=4&transport=polling`, { method: 'POST', body: '\u0000garbage' });
    expect(raw.status).toBeGreaterThanOrEqual(400);
    await stillHealthy(bystander);
    await waitFor(async () => {
      const me = await agent(acme.tokens.technician);
      const onlineAgent = me.ready.agents.find((p: { userId: string }) => p.userId === acme.users.agent.userId);
      me.close();
      return onlineAgent === undefined;
    }, 'ghost connections to leave no presence behind', 10_000);
  });

  describe('handshakes per client IP', () => {
    let limited: RunningApi;
    beforeAll(async () => {
      limited = await startApi({ REALTIME_HANDSHAKES_PER_MINUTE: '5' });
    });
    afterAll(async () => {
      await limited?.stop();
    });

    /** One handshake from `ip` (as a proxy on loopback reports it): the connect error's data, or 'connected'. */
    const handshake = (ip: string, token: string | undefined) =>
      new Promise<any>((resolve) => {
        const socket = io(`${limited.url}/agents`, { auth: token === undefined ? {} : { token }, transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: { 'x-forwarded-for': ip } });
        socket.on('connect', () => (socket.close(), resolve('connected')));
        socket.on('connect_error', (error: Error & { data?: unknown }) => (socket.close(), resolve(error.data ?? error.message)));
      });

    it('refuses an address past its budget with rate-limited and a retry hint, before checking credentials; other addresses connect', async () => {
      // The budget is per minute: start far enough from a minute's end for six handshakes to share one.
      const intoMinute = Date.now() % 60_000;
      if (intoMinute > 50_000) await sleep(60_000 - intoMinute + 100);
      const flooder = '203.0.113.7';
      // Bad credentials spend the budget too: the budget is checked before the credential.
      for (let i = 0; i < 4; i++) expect(await handshake(flooder, 'not-a-token')).toMatchObject({ status: 401, type: 'unauthorized' });
      expect(await handshake(flooder, acme.tokens.agent)).toBe('connected');
      const refused = await handshake(flooder, acme.tokens.agent);
      expect(refused).toMatchObject({ status: 429, type: 'rate-limited', detail: expect.stringMatching(/per minute/) });
      expect(refused.retryAfter).toBeGreaterThanOrEqual(1);
      expect(refused.retryAfter).toBeLessThanOrEqual(60);
      expect(await handshake('203.0.113.8', acme.tokens.agent)).toBe('connected');
      const metrics = await (await fetch(`${limited.url}/metrics`)).text();
      expect(metrics).toMatch(/realtime_handshakes_refused_total\{reason="rate-limited"\} 1/);
      expect(metrics).toMatch(/realtime_handshakes_refused_total\{reason="unauthorized"\} 4/);
    }, 120_000);
  });
});
