import { client, craftJwt, expectProblem, expectStatus, RANDOM_UUID } from '../support/http';
import { startApi, waitFor, type RunningApi } from '../support/processes';
import { connectError, readyAgent, sleep, type AgentClient } from '../support/sockets';
import { createTwoTenants, type TenantSession } from '../support/tenants';

const JWT_SECRET = 'e2e-realtime-jwt-secret-0123456789abcdef0123';

/** The agent console's socket endpoint, driven with socket.io-client against the real api. */
describe('realtime: the /agents console endpoint', () => {
  let api: RunningApi;
  let acme: TenantSession;
  let globex: TenantSession;
  let c: ReturnType<typeof client>;
  const open: AgentClient[] = [];

  const agent = async (token: string) => {
    const a = await readyAgent(api.url, token);
    open.push(a);
    return a;
  };
  const newTicket = async (tenant: TenantSession, subject: string, extra: Record<string, unknown> = {}) =>
    expectStatus(await c.post('/v1/tickets', { subject, requester: { email: 'pat@customer.example' }, ...extra }, tenant.headers('agent')), 201);

  beforeAll(async () => {
    api = await startApi({ AUTH_JWT_SECRET: JWT_SECRET, REALTIME_TYPING_TTL_MS: '1500', REALTIME_PRESENCE_TTL_MS: '3000', REALTIME_REAUTH_INTERVAL_MS: '1000' });
    c = client(api.url);
    [acme, globex] = await createTwoTenants(api.url);
  });
  afterEach(() => {
    for (const a of open.splice(0)) a.close();
  });
  afterAll(async () => {
    await api?.stop();
  });

  describe('handshake', () => {
    it('refuses a missing, malformed, forged or expired credential with a clear error', async () => {
      const missing = await connectError(api.url, undefined);
      expect(missing.data).toMatchObject({ status: 401, type: 'unauthorized' });
      expect(missing.message).toMatch(/auth: \{ token/);
      expect((await connectError(api.url, 'garbage')).data).toMatchObject({ status: 401 });
      const now = Math.floor(Date.now() / 1000);
      const claims = { sub: acme.users.agent.userId, tid: acme.tenant.id, role: 'agent', iss: 'switchboard', aud: 'switchboard-api', iat: now - 900, exp: now - 10 };
      const expired = await connectError(api.url, craftJwt(claims, JWT_SECRET));
      expect(expired.data).toMatchObject({ status: 401 });
      expect(expired.message).toMatch(/expired/i);
      expect((await connectError(api.url, craftJwt({ ...claims, exp: now + 600 }, 'not-the-servers-secret-0123456789abcdef'))).data).toMatchObject({ status: 401 });
      expect((await connectError(api.url, 'x'.repeat(5000))).data).toMatchObject({ status: 401 });
    });

    it('refuses a revoked API key and a key without tickets:read', async () => {
      const created = expectStatus(await c.post('/v1/api-keys', { name: 'no tickets', scopes: ['customers:read'] }, acme.headers('owner')), 201);
      expect((await connectError(api.url, created.key)).data).toMatchObject({ status: 403, type: 'forbidden' });
      const key = expectStatus(await c.post('/v1/api-keys', { name: 'soon revoked', scopes: ['tickets:read'] }, acme.headers('owner')), 201);
      await agent(key.key).then((a) => a.close());
      expect((await c.delete(`/v1/api-keys/${key.id}`, acme.headers('owner'))).status).toBe(204);
      const refused = await connectError(api.url, key.key);
      expect(refused.data).toMatchObject({ status: 401 });
      expect(refused.message).toMatch(/revoked/);
    });

    it('ends a session whose credential is revoked while connected, with session.expired', async () => {
      const key = expectStatus(await c.post('/v1/api-keys', { name: 'live', scopes: ['tickets:read'] }, acme.headers('owner')), 201);
      const a = await agent(key.key);
      expect(a.ready.user).toMatchObject({ kind: 'api-key', name: 'API key "live"' });
      expect((await c.delete(`/v1/api-keys/${key.id}`, acme.headers('owner'))).status).toBe(204);
      const expired = await a.next('session.expired');
      expect(expired).toMatchObject({ reason: 'credential-revoked' });
      await waitFor(async () => !a.socket.connected, 'the socket to be disconnected', 5_000);
    });

    it('sends session.expired and disconnects when the access token expires during the session', async () => {
      const now = Math.floor(Date.now() / 1000);
      const token = craftJwt({ sub: acme.users.agent.userId, tid: acme.tenant.id, role: 'agent', iss: 'switchboard', aud: 'switchboard-api', iat: now, exp: now + 2 }, JWT_SECRET);
      const a = await agent(token);
      const expired = await a.next('session.expired', undefined, 6_000);
      expect(expired).toMatchObject({ reason: 'token-expired' });
      expect(expired.detail).toMatch(/refresh/);
      await waitFor(async () => !a.socket.connected, 'the socket to be disconnected', 5_000);
    });

    it('renews a session with a fresh token of the same user, and refuses another user’s', async () => {
      const now = Math.floor(Date.now() / 1000);
      const short = craftJwt({ sub: acme.users.agent.userId, tid: acme.tenant.id, role: 'agent', iss: 'switchboard', aud: 'switchboard-api', iat: now, exp: now + 3 }, JWT_SECRET);
      const a = await agent(short);
      const renewed = await a.call('session.renew', { token: acme.tokens.agent });
      expect(renewed.ok).toBe(true);
      expect(Date.parse(renewed.expiresAt)).toBeGreaterThan(Date.now() + 60_000);
      expect(await a.call('session.renew', { token: acme.tokens.owner })).toMatchObject({ ok: false, error: { status: 403, type: 'different-principal' } });
      await sleep(3_500);
      expect(a.socket.connected).toBe(true);
      expect(a.received.some((r) => r.event === 'session.expired')).toBe(false);
    });
  });

  describe('ticket events', () => {
    it('reach every agent of the tenant with event id and version, and never another tenant', async () => {
      const [acmeAgent, acmeOwner, globexAgent] = await Promise.all([agent(acme.tokens.agent), agent(acme.tokens.owner), agent(globex.tokens.agent)]);
      const ticket = await newTicket(acme, 'Printer on fire');
      for (const a of [acmeAgent, acmeOwner]) {
        const created = await a.next('ticket.created', (d) => d.ticketId === ticket.id);
        expect(created).toMatchObject({ ticketId: ticket.id, version: ticket.version, ticket: { subject: 'Printer on fire', number: ticket.number, status: 'new' } });
        expect(created.eventId).toMatch(/^[0-9a-f-]{36}$/);
      }
      // Globex's own event arrives, so its socket works; acme's never did.
      const theirs = await newTicket(globex, 'Globex only');
      await globexAgent.next('ticket.created', (d) => d.ticketId === theirs.id);
      expect(globexAgent.received.filter((r) => r.event.startsWith('ticket.') && r.data.ticketId === ticket.id)).toEqual([]);
      expect(acmeAgent.received.filter((r) => r.data?.ticketId === theirs.id)).toEqual([]);
    });

    it('pushes updates with their delta, assignments and messages, in version order', async () => {
      const a = await agent(acme.tokens.owner);
      const ticket = await newTicket(acme, 'Slow laptop');
      const patch = await c.patch(`/v1/tickets/${ticket.id}`, { status: 'open', assigneeId: acme.users.agent.userId, priority: 'high' }, acme.headers('agent', { 'if-match': `W/"${ticket.version}"` }));
      const updated = expectStatus(patch, 200);
      const delta = await a.next('ticket.updated', (d) => d.ticketId === ticket.id);
      expect(delta).toMatchObject({ version: updated.version, delta: { status: { from: 'new', to: 'open' }, priority: { from: 'normal', to: 'high' }, assigneeId: { from: null, to: acme.users.agent.userId } } });
      expect(await a.next('ticket.assigned', (d) => d.ticketId === ticket.id)).toMatchObject({ from: null, to: acme.users.agent.userId, version: updated.version });
      expect(await a.next('ticket.status_changed', (d) => d.ticketId === ticket.id)).toMatchObject({ from: 'new', to: 'open', version: updated.version });
      expectStatus(await c.post(`/v1/tickets/${ticket.id}/messages`, { body: 'Have you tried turning it off?', visibility: 'internal' }, acme.headers('agent')), 201);
      const message = await a.next('ticket.message_added', (d) => d.ticketId === ticket.id);
      expect(message).toMatchObject({ version: updated.version + 1, message: { body: 'Have you tried turning it off?', visibility: 'internal', authorType: 'agent' } });
      const ids = a.received.filter((r) => r.data?.ticketId === ticket.id && r.data.eventId).map((r) => r.data.eventId);
      expect(new Set(ids).size).toBe(ids.length);
    });

    it('pushes AI suggestions made, accepted and rejected, and participant changes, to every console of the tenant only', async () => {
      const [a, theirs] = await Promise.all([agent(acme.tokens.owner), agent(globex.tokens.owner)]);
      const ticket = await newTicket(acme, 'Boiler pressure drops overnight', { description: 'The pressure falls from 1.5 to 0.5 bar every night. There is a drip under the valve.' });
      const first = expectStatus(await c.post(`/v1/tickets/${ticket.id}/ai/summary`, undefined, acme.headers('agent')), 201);
      expect(await a.next('ticket.ai_suggestion_created', (d) => d.suggestionId === first.id)).toMatchObject({ ticketId: ticket.id, kind: 'summary', status: 'pending', provider: 'local', ticketVersion: ticket.version, superseded: [] });
      const second = expectStatus(await c.post(`/v1/tickets/${ticket.id}/ai/summary`, undefined, acme.headers('agent')), 201);
      expect(await a.next('ticket.ai_suggestion_created', (d) => d.suggestionId === second.id)).toMatchObject({ superseded: [first.id] });
      expectStatus(await c.post(`/v1/tickets/${ticket.id}/ai/suggestions/${second.id}/reject`, { reason: 'Too vague' }, acme.headers('agent')), 200);
      expect(await a.next('ticket.ai_suggestion_rejected', (d) => d.suggestionId === second.id)).toMatchObject({ ticketId: ticket.id, kind: 'summary', reason: 'Too vague', applied: null });
      const triage = expectStatus(await c.post(`/v1/tickets/${ticket.id}/ai/triage`, undefined, acme.headers('agent')), 201);
      await a.next('ticket.ai_suggestion_created', (d) => d.suggestionId === triage.id);
      expectStatus(await c.post(`/v1/tickets/${ticket.id}/ai/suggestions/${triage.id}/accept`, {}, acme.headers('agent', { 'if-match': `W/"${ticket.version}"` })), 200);
      expect(await a.next('ticket.ai_suggestion_accepted', (d) => d.suggestionId === triage.id)).toMatchObject({ ticketId: ticket.id, kind: 'triage' });
      expectStatus(await c.post(`/v1/tickets/${ticket.id}/participants`, { role: 'follower', participantId: acme.users.agent.userId }, acme.headers('agent')), 201);
      expect(await a.next('ticket.participants_changed', (d) => d.ticketId === ticket.id)).toMatchObject({ role: 'follower', participantId: acme.users.agent.userId, action: 'add' });
      // Another tenant's console heard none of it.
      await theirs.call('presence.set', { status: 'online' });
      expect(theirs.received.filter((r) => r.data?.ticketId === ticket.id)).toEqual([]);
    });

    it('pushes nothing for a change that did not commit', async () => {
      const a = await agent(acme.tokens.owner);
      const ticket = await newTicket(acme, 'Stale write');
      await a.next('ticket.created', (d) => d.ticketId === ticket.id);
      const stale = await c.patch(`/v1/tickets/${ticket.id}`, { subject: 'never' }, acme.headers('agent', { 'if-match': 'W/"99"' }));
      expectProblem(stale, 412);
      const refused = await c.patch(`/v1/tickets/${ticket.id}`, { status: 'closed' }, acme.headers('agent', { 'if-match': `W/"${ticket.version}"` }));
      expect(refused.status).toBeGreaterThanOrEqual(400);
      const marker = await newTicket(acme, 'marker');
      await a.next('ticket.created', (d) => d.ticketId === marker.id);
      expect(a.received.filter((r) => r.event === 'ticket.updated' && r.data.ticketId === ticket.id)).toEqual([]);
    });
  });

  describe('ticket rooms, collision and typing', () => {
    it('refuses a foreign ticket exactly like a missing one', async () => {
      const a = await agent(globex.tokens.agent);
      const acmeTicket = await newTicket(acme, 'Secret');
      const foreign = await a.call('ticket.viewing', { ticketId: acmeTicket.id });
      const missing = await a.call('ticket.viewing', { ticketId: RANDOM_UUID });
      expect(foreign).toMatchObject({ ok: false, error: { status: 404, type: 'not-found' } });
      expect(foreign.error.detail.replace(acmeTicket.id, '<id>')).toBe(missing.error.detail.replace(RANDOM_UUID, '<id>'));
      // And being refused joined nothing: typing there is refused too, nothing about the ticket arrives.
      expect(await a.call('ticket.typing', { ticketId: acmeTicket.id, state: 'start' })).toMatchObject({ ok: false, error: { status: 409 } });
      const viewer = await agent(acme.tokens.agent);
      expect(await viewer.call('ticket.viewing', { ticketId: acmeTicket.id })).toMatchObject({ ok: true });
      await sleep(300);
      expect(a.received.filter((r) => r.event === 'ticket.collision')).toEqual([]);
    });

    it('shows both agents who is viewing and who is typing; typing stops, expires, and leaving clears', async () => {
      const [sam, kim] = await Promise.all([agent(acme.tokens.agent), agent(acme.tokens.owner)]);
      const ticket = await newTicket(acme, 'Two agents, one ticket');
      expect(await sam.call('ticket.viewing', { ticketId: ticket.id })).toMatchObject({ ok: true, viewers: [{ userId: acme.users.agent.userId, typing: false }] });
      const joined = await kim.call('ticket.viewing', { ticketId: ticket.id });
      expect(joined.viewers.map((v: { userId: string }) => v.userId).sort()).toEqual([acme.users.agent.userId, acme.users.owner.userId].sort());
      const seenBySam = await sam.next('ticket.collision', (d) => d.ticketId === ticket.id && d.viewers.length === 2);
      expect(seenBySam.viewers.find((v: { userId: string }) => v.userId === acme.users.owner.userId)).toMatchObject({ name: 'Owner', typing: false });

      expect(await sam.call('ticket.typing', { ticketId: ticket.id, state: 'start' })).toMatchObject({ ok: true });
      const typing = await kim.next('ticket.collision', (d) => d.viewers.some((v: any) => v.userId === acme.users.agent.userId && v.typing));
      expect(typing.ticketId).toBe(ticket.id);
      // A second start within the throttle window is accepted but not rebroadcast.
      expect(await sam.call('ticket.typing', { ticketId: ticket.id, state: 'start' })).toMatchObject({ ok: true, throttled: true });
      kim.received.length = 0;
      expect(await sam.call('ticket.typing', { ticketId: ticket.id, state: 'stop' })).toMatchObject({ ok: true });
      await kim.next('ticket.collision', (d) => d.viewers.length === 2 && d.viewers.every((v: any) => !v.typing));

      // Typing that goes quiet (no stop) expires on its own (REALTIME_TYPING_TTL_MS=1500).
      await sleep(1_100);
      kim.received.length = 0;
      await sam.call('ticket.typing', { ticketId: ticket.id, state: 'start' });
      await kim.next('ticket.collision', (d) => d.viewers.some((v: any) => v.typing));
      kim.received.length = 0;
      await kim.next('ticket.collision', (d) => d.viewers.length === 2 && d.viewers.every((v: any) => !v.typing), 8_000);

      expect(await sam.call('ticket.left', { ticketId: ticket.id })).toMatchObject({ ok: true });
      await kim.next('ticket.collision', (d) => d.viewers.length === 1 && d.viewers[0].userId === acme.users.owner.userId);
      // Disconnecting clears the rest.
      const watcher = await agent(acme.tokens.admin);
      await watcher.call('ticket.viewing', { ticketId: ticket.id });
      kim.close();
      await watcher.next('ticket.collision', (d) => d.viewers.length === 1 && d.viewers[0].userId === acme.users.admin.userId);
    });
  });

  describe('presence', () => {
    it('counts an agent with two tabs once, online while any tab is, offline when the last closes', async () => {
      const observer = await agent(globex.tokens.owner);
      const lead = await agent(globex.tokens.admin);
      expect(lead.ready.agents.map((p: { userId: string }) => p.userId)).toContain(globex.users.owner.userId);
      const tab1 = await agent(globex.tokens.agent);
      await observer.next('presence.changed', (d) => d.userId === globex.users.agent.userId && d.connections === 1 && d.status === 'online');
      const tab2 = await agent(globex.tokens.agent);
      await observer.next('presence.changed', (d) => d.userId === globex.users.agent.userId && d.connections === 2);
      expect(tab2.ready.agents.filter((p: { userId: string }) => p.userId === globex.users.agent.userId)).toEqual([
        expect.objectContaining({ connections: 2, status: 'online' }),
      ]);

      observer.received.length = 0;
      await tab1.call('presence.set', { status: 'away' });
      const stillOnline = await observer.next('presence.changed', (d) => d.userId === globex.users.agent.userId && d.connections === 2);
      expect(stillOnline.status).toBe('online');
      await tab2.call('presence.set', { status: 'away' });
      await observer.next('presence.changed', (d) => d.userId === globex.users.agent.userId && d.status === 'away');

      tab1.close();
      await observer.next('presence.changed', (d) => d.userId === globex.users.agent.userId && d.connections === 1 && d.status === 'away');
      tab2.close();
      await observer.next('presence.changed', (d) => d.userId === globex.users.agent.userId && d.status === 'offline' && d.connections === 0);
      // Other tenants never hear about globex's agents.
      const acmeWatcher = await agent(acme.tokens.owner);
      expect(acmeWatcher.ready.agents.map((p: { userId: string }) => p.userId)).not.toContain(globex.users.agent.userId);
    });
  });

  describe('no missed updates', () => {
    it('recovers what happened during a forced disconnect from GET /v1/events?after=', async () => {
      const a = await agent(acme.tokens.agent);
      const first = await newTicket(acme, 'Before the outage');
      const seen = await a.next('ticket.created', (d) => d.ticketId === first.id);
      a.socket.io.engine.close(); // the transport drops, as on a network blip
      await waitFor(async () => !a.socket.connected, 'the socket to drop', 5_000);
      const missed1 = await newTicket(acme, 'During the outage 1');
      const missed2 = expectStatus(await c.post(`/v1/tickets/${first.id}/messages`, { body: 'while you were away' }, acme.headers('owner')), 201);
      const replay = expectStatus(await c.get(`/v1/events?after=${seen.eventId}`, acme.headers('agent')), 200);
      expect(replay.hasMore).toBe(false);
      const events = replay.data.filter((e: { data: { eventId: string } }) => e.data.eventId !== seen.eventId);
      expect(events).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ event: 'ticket.created', data: expect.objectContaining({ ticketId: missed1.id, ticket: expect.objectContaining({ subject: 'During the outage 1' }) }) }),
          expect.objectContaining({ event: 'ticket.message_added', data: expect.objectContaining({ ticketId: first.id, message: expect.objectContaining({ id: missed2.id }) }) }),
        ]),
      );
      expect(replay.lastEventId).toBe(replay.data.at(-1).data.eventId);
      // The replay carries exactly the socket's shape, so a client applies both the same way.
      const live = await agent(acme.tokens.agent);
      const third = await newTicket(acme, 'After the outage');
      const pushed = await live.next('ticket.created', (d) => d.ticketId === third.id);
      const replayed = expectStatus(await c.get(`/v1/events?after=${replay.lastEventId}`, acme.headers('agent')), 200);
      expect(replayed.data.find((e: { data: { eventId: string } }) => e.data.eventId === pushed.eventId)).toEqual({ event: 'ticket.created', data: pushed });
      expect(live.ready.lastEventId).toBe(replay.lastEventId);
    });

    it('pages long gaps and refuses foreign, unknown and malformed cursors', async () => {
      const latest = expectStatus(await c.get('/v1/events', acme.headers('agent')), 200);
      const anchor = latest.lastEventId;
      for (let i = 0; i < 3; i++) await newTicket(acme, `gap ${i}`);
      const page = expectStatus(await c.get(`/v1/events?after=${anchor}&limit=2`, acme.headers('viewer')), 200);
      expect(page.hasMore).toBe(true);
      const rest = expectStatus(await c.get(`/v1/events?after=${page.lastEventId}&limit=2`, acme.headers('viewer')), 200);
      expect(rest.hasMore).toBe(false);
      const subjects = [...page.data, ...rest.data].filter((e: any) => e.event === 'ticket.created').map((e: any) => e.data.ticket.subject);
      // Everything after the anchor, plus (by design) events from the few seconds before it, which clients drop by id.
      expect(subjects).toEqual(expect.arrayContaining(['gap 0', 'gap 1', 'gap 2']));
      expect(subjects.indexOf('gap 2')).toBeGreaterThan(subjects.indexOf('gap 0'));
      expect(rest.data.map((e: any) => e.data.eventId)).not.toContain(page.lastEventId);
      expectProblem(await c.get(`/v1/events?after=${anchor}`, globex.headers('agent')), 404, 'event-not-found');
      expectProblem(await c.get(`/v1/events?after=${RANDOM_UUID}`, acme.headers('agent')), 404, 'event-not-found');
      expectProblem(await c.get('/v1/events?after=not-a-uuid', acme.headers('agent')), 400);
      expectProblem(await c.get('/v1/events?limit=100000', acme.headers('agent')), 400);
      expectProblem(await c.get('/v1/events', {}), 401);
    });
  });

  describe('api shutdown', () => {
    it('tells its consoles why, clears their presence at once, and drains instead of hanging on open sockets', async () => {
      // Default presence TTL (30 s) on this process: an "offline" within the wait below comes from the clean-up, not from expiry.
      const other = await startApi({ AUTH_JWT_SECRET: JWT_SECRET });
      try {
        const observer = await agent(acme.tokens.owner);
        const leaving = await readyAgent(other.url, acme.tokens.technician);
        open.push(leaving);
        await observer.next('presence.changed', (d) => d.userId === acme.users.technician.userId && d.connections === 1);
        observer.received.length = 0;
        // Exit code 0: it finished within SHUTDOWN_TIMEOUT_MS (a hang ends in a forced exit 1).
        expect(await other.stop('SIGTERM')).toBe(0);
        expect(leaving.received.find((r) => r.event === 'session.closing')?.data).toMatchObject({ reason: 'server-shutdown' });
        await observer.next('presence.changed', (d) => d.userId === acme.users.technician.userId && d.status === 'offline', 8_000);
      } finally {
        await other.stop();
      }
    });
  });

  it('serves the console page and its assets with the right content types', async () => {
    const page = await fetch(`${api.url}/console`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('console.mjs');
    const js = await fetch(`${api.url}/console/console.mjs`);
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect((await fetch(`${api.url}/console/console.css`)).headers.get('content-type')).toMatch(/^text\/css/);
    expectProblem(await c.get('/console/../package.json'), 404);
    expect((await fetch(`${api.url}/socket.io/socket.io.esm.min.js`)).status).toBe(200);
  });

  it('connects a socket without websocket support too (long-polling)', async () => {
    const { io } = await import('socket.io-client');
    const socket = io(`${api.url}/agents`, { auth: { token: acme.tokens.viewer }, transports: ['polling'], reconnection: false, forceNew: true });
    const ready = await new Promise<any>((resolve, reject) => {
      socket.once('session.ready', resolve);
      socket.once('connect_error', reject);
    });
    expect(ready.user).toMatchObject({ id: acme.users.viewer.userId, role: 'viewer' });
    socket.disconnect();
  });
});
