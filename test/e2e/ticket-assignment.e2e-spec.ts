import { startApi, waitFor, type RunningApi } from '../support/processes';
import { readyAgent, sleep, type AgentClient } from '../support/sockets';
import { createTwoTenants, type TenantSession } from '../support/tenants';

type Role = 'owner' | 'admin' | 'agent' | 'viewer';

/**
 * Assignment policies per group through HTTP, with presence from real console sockets: round
 * robin, least loaded with capacities, offline and away agents skipped, freed capacity taking the
 * waiting ticket, and concurrent tickets never overfilling an agent.
 */
describe('ticket assignment policies', () => {
  let api: RunningApi;
  let acme: TenantSession;
  let globex: TenantSession;
  const consoles: AgentClient[] = [];

  beforeAll(async () => {
    api = await startApi();
    [acme, globex] = await createTwoTenants(api.url);
  });
  afterAll(async () => {
    for (const c of consoles) c.close();
    await api?.stop();
  });

  async function call(tenant: TenantSession, method: string, path: string, body?: unknown, role: Role = 'admin', extra: Record<string, string> = {}) {
    const res = await fetch(`${api.url}/v1${path}`, { method, headers: tenant.headers(role, extra), body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
  }
  const ok = (res: { status: number; body: any }, status = 200) => {
    if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const online = async (role: 'owner' | 'admin' | 'agent') => {
    const client = await readyAgent(api.url, acme.tokens[role]);
    consoles.push(client);
    return client;
  };
  const group = async (name: string, members: ('owner' | 'admin' | 'agent')[]) => {
    const g = ok(await call(acme, 'POST', '/groups', { name }), 201);
    for (const m of members) expect((await call(acme, 'PUT', `/groups/${g.id}/members/${acme.users[m].userId}`)).status).toBe(204);
    return g.id as string;
  };
  const ticket = async (groupId: string, subject: string, extra: Record<string, unknown> = {}) =>
    ok(await call(acme, 'POST', '/tickets', { subject, requester: { email: 'pat@customer.example' }, groupId, ...extra }, 'agent'), 201).id as string;
  const assignee = async (id: string) => ok(await call(acme, 'GET', `/tickets/${id}`, undefined, 'agent')).assigneeId as string | null;
  const overview = async (groupId: string) => ok(await call(acme, 'GET', `/groups/${groupId}/assignment`, undefined, 'agent'));
  // Any version: automatic assignment may change the ticket between a read and this write.
  const solve = async (id: string) => ok(await call(acme, 'PATCH', `/tickets/${id}`, { status: 'solved' }, 'agent', { 'if-match': '*' }));
  const user = (role: 'owner' | 'admin' | 'agent') => acme.users[role].userId;
  /** Waits for the queue to settle: `waiting` tickets left and nobody handed one in the last half second. */
  const settled = async (groupId: string, waiting: number) => {
    await waitFor(async () => (await overview(groupId)).waiting === waiting, `${waiting} waiting tickets`);
    await sleep(500);
    return overview(groupId);
  };

  let adminConsole: AgentClient;
  let agentConsole: AgentClient;

  it('round robin hands tickets out in turn, skipping offline and away members, with history and a console push', async () => {
    const support = await group('Support', ['owner', 'admin', 'agent']);
    const set = ok(await call(acme, 'PATCH', `/groups/${support}/assignment`, { mode: 'round_robin' }));
    expect(set).toMatchObject({ groupId: support, mode: 'round_robin', defaultCapacity: null, waiting: 0, version: 2 });
    expect(set.members.map((m: any) => [m.userId, m.presence, m.reason])).toEqual([
      [user('owner'), 'offline', 'offline'],
      [user('admin'), 'offline', 'offline'],
      [user('agent'), 'offline', 'offline'],
    ]);
    expect(ok(await call(acme, 'GET', `/groups/${support}`)).assignmentPolicy).toBe('round_robin');

    // Nobody online: the ticket waits.
    const early = await ticket(support, 'Before anyone is in');
    await sleep(300);
    expect(await assignee(early)).toBeNull();

    adminConsole = await online('admin');
    agentConsole = await online('agent');
    // The admin coming online takes the waiting ticket.
    await waitFor(async () => (await assignee(early)) === user('admin'), 'the waiting ticket to go to the agent who came online');
    const pushed = await adminConsole.next('ticket.assigned', (d) => d.ticketId === early);
    expect(pushed).toMatchObject({ to: user('admin'), actorId: null });

    const ids = [];
    for (const n of [1, 2, 3]) ids.push(await ticket(support, `Question ${n}`));
    await settled(support, 0);
    // Owner offline: skipped. The cursor was at the admin, so the agent is next.
    expect(await Promise.all(ids.map(assignee))).toEqual([user('agent'), user('admin'), user('agent')]);

    expect(await agentConsole.call('presence.set', { status: 'away' })).toMatchObject({ ok: true });
    await waitFor(async () => (await overview(support)).members.find((m: any) => m.userId === user('agent')).reason === 'away', 'the agent to be away');
    const whileAway = await ticket(support, 'While the agent is away');
    await settled(support, 0);
    expect(await assignee(whileAway)).toBe(user('admin'));
    expect(await agentConsole.call('presence.set', { status: 'online' })).toMatchObject({ ok: true });

    const history = ok(await call(acme, 'GET', `/tickets/${ids[0]}/history`, undefined, 'agent'));
    const auto = history.data.find((e: any) => e.action === 'ticket.auto_assigned');
    expect(auto).toMatchObject({ changes: { assigneeId: { to: user('agent') }, assignmentPolicy: { to: 'round_robin' } } });
    const audit = ok(await call(acme, 'GET', `/audit-logs?entityId=${support}`, undefined, 'owner'));
    expect(audit.data.map((e: any) => e.action)).toContain('ticket_group.assignment_policy_updated');

    for (const id of [early, ...ids, whileAway]) await solve(id);
  });

  it('least loaded respects capacities (group default, member override), and a freed slot or an agent coming online takes the waiting ticket', async () => {
    const billing = await group('Billing', ['admin', 'agent']);
    const set = ok(await call(acme, 'PATCH', `/groups/${billing}/assignment`, { mode: 'least_loaded', defaultCapacity: 1, members: [{ userId: user('agent'), capacity: 2 }] }));
    expect(set.members.map((m: any) => [m.capacity, m.effectiveCapacity, m.load, m.eligible])).toEqual([
      [null, 1, 0, true],
      [2, 2, 0, true],
    ]);
    const [t1, t2, t3, t4] = [await ticket(billing, 'Invoice 1'), await ticket(billing, 'Invoice 2'), await ticket(billing, 'Invoice 3'), await ticket(billing, 'Invoice 4')];
    const full = await settled(billing, 1);
    expect(await Promise.all([t1, t2, t3, t4].map(assignee))).toEqual([user('admin'), user('agent'), user('agent'), null]);
    expect(full.members.map((m: any) => [m.load, m.reason])).toEqual([
      [1, 'at_capacity'],
      [2, 'at_capacity'],
    ]);

    await solve(t1);
    await waitFor(async () => (await assignee(t4)) === user('admin'), 'the waiting ticket to take the freed slot');

    // Urgent before normal, whatever their age; the owner joins offline and takes it on coming online.
    const normal = await ticket(billing, 'Old normal');
    const urgent = await ticket(billing, 'New urgent', { priority: 'urgent' });
    expect((await call(acme, 'PUT', `/groups/${billing}/members/${user('owner')}`)).status).toBe(204);
    ok(await call(acme, 'PATCH', `/groups/${billing}/assignment`, { members: [{ userId: user('owner'), capacity: 1 }] }));
    await settled(billing, 2);
    await online('owner');
    await waitFor(async () => (await assignee(urgent)) === user('owner'), 'the urgent ticket to go to the owner coming online');
    expect(await assignee(normal)).toBeNull();

    for (const id of [t2, t3, t4, urgent]) await solve(id);
    await waitFor(async () => (await assignee(normal)) !== null, 'the last waiting ticket to be handed out');
    await solve(normal);
  });

  it('never gives an agent more tickets than free slots when tickets arrive at once, and keeps round robin fair under concurrency', async () => {
    const rush = await group('Rush', ['agent']);
    ok(await call(acme, 'PATCH', `/groups/${rush}/assignment`, { mode: 'least_loaded', members: [{ userId: user('agent'), capacity: 1 }] }));
    const ids = await Promise.all(Array.from({ length: 8 }, (_, i) => ticket(rush, `Rush ${i}`)));
    const after = await settled(rush, 7);
    expect(after.members[0]).toMatchObject({ load: 1, effectiveCapacity: 1, reason: 'at_capacity' });
    expect((await Promise.all(ids.map(assignee))).filter((a) => a !== null)).toEqual([user('agent')]);

    const pair = await group('Pair', ['admin', 'agent']);
    ok(await call(acme, 'PATCH', `/groups/${pair}/assignment`, { mode: 'round_robin' }));
    const many = await Promise.all(Array.from({ length: 10 }, (_, i) => ticket(pair, `Pair ${i}`)));
    await settled(pair, 0);
    const owners = await Promise.all(many.map(assignee));
    expect(owners.filter((a) => a === user('admin'))).toHaveLength(5);
    expect(owners.filter((a) => a === user('agent'))).toHaveLength(5);
    for (const id of [...ids, ...many]) await solve(id);
    await settled(rush, 0);

    // One agent in two groups with one free slot between them (their load counts in every group):
    // tickets arriving in both at once still give them one.
    const east = await group('East', ['admin']);
    const west = await group('West', ['admin']);
    for (const g of [east, west]) ok(await call(acme, 'PATCH', `/groups/${g}/assignment`, { mode: 'round_robin', members: [{ userId: user('admin'), capacity: 1 }] }));
    const both = await Promise.all(Array.from({ length: 12 }, (_, i) => ticket(i % 2 ? east : west, `Both ${i}`)));
    await waitFor(async () => (await overview(east)).waiting + (await overview(west)).waiting === 11, '11 tickets waiting in the two groups');
    await sleep(500);
    expect((await Promise.all(both.map(assignee))).filter((a) => a !== null)).toEqual([user('admin')]);
    expect((await overview(west)).members[0]).toMatchObject({ load: 1, reason: 'at_capacity' });
    for (const id of both) await solve(id);
  });

  it('answers another tenant’s group with 404, and refuses bad input', async () => {
    const mine = await group('Mine', ['agent']);
    expect((await call(globex, 'GET', `/groups/${mine}/assignment`, undefined, 'agent')).status).toBe(404);
    expect((await call(globex, 'PATCH', `/groups/${mine}/assignment`, { mode: 'round_robin' })).status).toBe(404);
    expect((await call(acme, 'GET', `/groups/not-a-uuid/assignment`, undefined, 'agent')).status).toBe(400);
    for (const [body, field] of [
      [{ mode: 'fancy' }, 'mode'],
      [{ defaultCapacity: -1 }, 'defaultCapacity'],
      [{ defaultCapacity: 1.5 }, 'defaultCapacity'],
      [{ defaultCapacity: 1001 }, 'defaultCapacity'],
      [{ members: [{ userId: 'x', capacity: 1 }] }, 'members.0.userId'],
      [{ members: 'everyone' }, 'members'],
    ] as const) {
      const res = await call(acme, 'PATCH', `/groups/${mine}/assignment`, body);
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect((await call(acme, 'PATCH', `/groups/${mine}/assignment`, { surprise: true })).status).toBe(400);
    // Another tenant's user is not a member here.
    const stranger = await call(acme, 'PATCH', `/groups/${mine}/assignment`, { members: [{ userId: globex.users.agent.userId, capacity: 1 }] });
    expect(stranger.status).toBe(422);
    expect(stranger.body.detail).toContain(globex.users.agent.userId);
    expect((await call(acme, 'PATCH', `/groups/${mine}/assignment`, { mode: 'round_robin' }, 'agent')).status).toBe(403);
    const stale = await call(acme, 'PATCH', `/groups/${mine}/assignment`, { defaultCapacity: 3 }, 'admin', { 'if-match': 'W/"99"' });
    expect(stale.status).toBe(412);
    expect((await call(acme, 'PATCH', `/groups/${mine}`, { assignmentPolicy: 'fancy' })).status).toBe(400);
  });
});
