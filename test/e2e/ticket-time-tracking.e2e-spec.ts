import { Client } from 'pg';
import { startApi, type RunningApi } from '../support/processes';
import { createTwoTenants, type TenantSession } from '../support/tenants';

type Role = 'owner' | 'admin' | 'agent' | 'viewer';

/** Time tracking: entries per ticket, one timer per agent, totals per agent in a date range. */
describe('ticket time tracking', () => {
  let api: RunningApi;
  let acme: TenantSession;
  let globex: TenantSession;
  let ticketId: string;

  beforeAll(async () => {
    api = await startApi();
    [acme, globex] = await createTwoTenants(api.url);
    ticketId = (await call(acme, 'POST', '/tickets', { subject: 'Boiler service', requester: { email: 'pat@example.com' } })).body.id;
  });
  afterAll(async () => {
    await api?.stop();
  });

  async function call(tenant: TenantSession, method: string, path: string, body?: unknown, role: Role = 'agent', extra: Record<string, string> = {}) {
    const res = await fetch(`${api.url}/v1${path}`, { method, headers: tenant.headers(role, extra), body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
  }

  it('records, lists with totals, corrects and removes entries, with history', async () => {
    const first = await call(acme, 'POST', `/tickets/${ticketId}/time-entries`, { minutes: 25, activityType: 'phone_call', note: 'Called the customer', workedAt: '2026-12-01T10:00:00Z' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ ticketId, userId: acme.users.agent.userId, minutes: 25, activityType: 'phone_call', billable: true, workedAt: '2026-12-01T10:00:00.000Z', version: 1 });
    const second = await call(acme, 'POST', `/tickets/${ticketId}/time-entries`, { minutes: 10, billable: false, workedAt: '2026-12-02T10:00:00Z' });
    expect(second.body.activityType).toBe('general');

    const list = await call(acme, 'GET', `/tickets/${ticketId}/time-entries?limit=1`, undefined, 'viewer');
    expect(list.status).toBe(200);
    expect(list.body.data.map((e: { id: string }) => e.id)).toEqual([first.body.id]);
    expect(list.body.totals).toEqual({ minutes: 35, billableMinutes: 25, entries: 2 });
    expect(list.body.nextCursor).toEqual(expect.any(String));

    const corrected = await call(acme, 'PATCH', `/tickets/${ticketId}/time-entries/${first.body.id}`, { minutes: 30 }, 'agent', { 'if-match': 'W/"1"' });
    expect(corrected.status).toBe(200);
    expect(corrected.body).toMatchObject({ minutes: 30, version: 2 });
    expect((await call(acme, 'PATCH', `/tickets/${ticketId}/time-entries/${first.body.id}`, { minutes: 31 }, 'agent', { 'if-match': 'W/"1"' })).status).toBe(412);
    expect((await call(acme, 'DELETE', `/tickets/${ticketId}/time-entries/${second.body.id}`)).status).toBe(204);
    expect((await call(acme, 'DELETE', `/tickets/${ticketId}/time-entries/${second.body.id}`)).status).toBe(404);
    expect((await call(acme, 'GET', `/tickets/${ticketId}/time-entries`)).body.totals).toEqual({ minutes: 30, billableMinutes: 30, entries: 1 });

    const history = (await call(acme, 'GET', `/tickets/${ticketId}/history`)).body.data.map((e: { action: string }) => e.action);
    expect(history.slice(0, 4)).toEqual(['ticket.time_entry_deleted', 'ticket.time_entry_updated', 'ticket.time_logged', 'ticket.time_logged']);
  });

  it('lets only the person, an owner or an admin change an entry; owners record time for others', async () => {
    const mine = (await call(acme, 'POST', `/tickets/${ticketId}/time-entries`, { minutes: 5 })).body;
    const byAdmin = await call(acme, 'PATCH', `/tickets/${ticketId}/time-entries/${mine.id}`, { note: 'checked' }, 'admin');
    expect(byAdmin.status).toBe(200);
    const forAgent = await call(acme, 'POST', `/tickets/${ticketId}/time-entries`, { minutes: 15, userId: acme.users.agent.userId }, 'owner');
    expect(forAgent.status).toBe(201);
    expect(forAgent.body.userId).toBe(acme.users.agent.userId);
    // An agent may not record for someone else, nor change their entries.
    const adminEntry = (await call(acme, 'POST', `/tickets/${ticketId}/time-entries`, { minutes: 7 }, 'admin')).body;
    expect((await call(acme, 'PATCH', `/tickets/${ticketId}/time-entries/${adminEntry.id}`, { minutes: 1 })).status).toBe(403);
    expect((await call(acme, 'POST', `/tickets/${ticketId}/time-entries`, { minutes: 5, userId: acme.users.admin.userId })).status).toBe(403);
    expect((await call(acme, 'POST', `/tickets/${ticketId}/time-entries`, { minutes: 5, userId: acme.users.viewer.userId }, 'owner')).status).toBe(422);
    expect((await call(acme, 'POST', `/tickets/${ticketId}/time-entries`, { minutes: 5 }, 'viewer')).status).toBe(403);
    // An API key must say whose time it is.
    const viaKey = await fetch(`${api.url}/v1/tickets/${ticketId}/time-entries`, { method: 'POST', headers: { authorization: `Bearer ${acme.apiKeys.full}`, 'content-type': 'application/json' }, body: JSON.stringify({ minutes: 5 }) });
    expect(viaKey.status).toBe(422);
    expect((await viaKey.json()).errors[0].field).toBe('userId');
  });

  it('refuses bad input with a problem naming the field', async () => {
    for (const [body, field] of [
      [{}, 'minutes'],
      [{ minutes: 0 }, 'minutes'],
      [{ minutes: 1441 }, 'minutes'],
      [{ minutes: 1.5 }, 'minutes'],
      [{ minutes: 5, activityType: 'Phone Call' }, 'activityType'],
      [{ minutes: 5, workedAt: 'yesterday' }, 'workedAt'],
      [{ minutes: 5, note: 'x'.repeat(2001) }, 'note'],
    ] as const) {
      const res = await call(acme, 'POST', `/tickets/${ticketId}/time-entries`, body);
      expect([JSON.stringify(body).slice(0, 40), res.status]).toEqual([JSON.stringify(body).slice(0, 40), 400]);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect((await call(acme, 'GET', '/time-entries/totals?groupBy=planet')).status).toBe(400);
    expect((await call(acme, 'GET', '/time-entries/totals?from=2026-12-05T00:00:00Z&to=2026-12-01T00:00:00Z')).status).toBe(400);
  });

  it('runs one timer per agent: starting another records the first; stopping records whole minutes from the database clock', async () => {
    const other = (await call(acme, 'POST', '/tickets', { subject: 'Second job', requester: { email: 'pat@example.com' } })).body.id;
    expect((await call(acme, 'GET', '/me/timer')).body).toEqual({ timer: null });
    expect((await call(acme, 'POST', '/me/timer/stop', {})).status).toBe(404);

    const started = await call(acme, 'POST', `/tickets/${ticketId}/timer`, { activityType: 'research' });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ timer: { ticketId, userId: acme.users.agent.userId, activityType: 'research' }, stopped: null });
    // Wind the clock back 42 minutes, as if the agent had worked that long.
    await backdateTimer(acme.tenant.id, acme.users.agent.userId, 42);

    const switched = await call(acme, 'POST', `/tickets/${other}/timer`, {});
    expect(switched.body.timer.ticketId).toBe(other);
    expect(switched.body.stopped).toMatchObject({ ticketId, minutes: 42, activityType: 'research' });
    expect((await call(acme, 'GET', '/me/timer')).body.timer.ticketId).toBe(other);
    // Another agent's timer is theirs alone.
    expect((await call(acme, 'GET', '/me/timer', undefined, 'admin')).body.timer).toBeNull();

    await backdateTimer(acme.tenant.id, acme.users.agent.userId, 60 * 30);
    const stopped = await call(acme, 'POST', '/me/timer/stop', {});
    expect(stopped.status).toBe(200);
    expect(stopped.body).toMatchObject({ capped: true, entry: { ticketId: other, minutes: 1440 } });

    await call(acme, 'POST', `/tickets/${other}/timer`, {});
    const discarded = await call(acme, 'POST', '/me/timer/stop', { discard: true });
    expect(discarded.body).toMatchObject({ entry: null, capped: false });
    expect((await call(acme, 'GET', `/tickets/${other}/time-entries`)).body.totals.entries).toBe(1);
  });

  it('totals per agent, ticket and activity over a range; agents see their own only', async () => {
    const t = (await call(acme, 'POST', '/tickets', { subject: 'Totals', requester: { email: 'pat@example.com' } })).body.id;
    await call(acme, 'POST', `/tickets/${t}/time-entries`, { minutes: 60, workedAt: '2026-11-10T09:00:00Z' }, 'agent');
    await call(acme, 'POST', `/tickets/${t}/time-entries`, { minutes: 30, billable: false, workedAt: '2026-11-11T09:00:00Z' }, 'agent');
    await call(acme, 'POST', `/tickets/${t}/time-entries`, { minutes: 20, workedAt: '2026-11-12T09:00:00Z', activityType: 'onsite' }, 'admin');
    const range = 'from=2026-11-01T00:00:00Z&to=2026-11-30T00:00:00Z';

    const all = await call(acme, 'GET', `/time-entries/totals?${range}`, undefined, 'owner');
    expect(all.status).toBe(200);
    expect(all.body.data).toEqual([
      { key: acme.users.agent.userId, minutes: 90, billableMinutes: 60, entries: 2 },
      { key: acme.users.admin.userId, minutes: 20, billableMinutes: 20, entries: 1 },
    ]);
    expect(all.body.totals).toEqual({ minutes: 110, billableMinutes: 80, entries: 3 });
    const byActivity = await call(acme, 'GET', `/time-entries/totals?${range}&groupBy=activity`, undefined, 'owner');
    expect(byActivity.body.data.map((r: { key: string; minutes: number }) => [r.key, r.minutes])).toEqual([['general', 90], ['onsite', 20]]);
    const own = await call(acme, 'GET', `/time-entries/totals?${range}&userId=${acme.users.admin.userId}`, undefined, 'agent');
    expect(own.body.data).toEqual([{ key: acme.users.agent.userId, minutes: 90, billableMinutes: 60, entries: 2 }]);
  });

  it('answers 404 to another tenant on every time route, and keeps its totals apart', async () => {
    const entry = (await call(acme, 'POST', `/tickets/${ticketId}/time-entries`, { minutes: 3 })).body;
    expect((await call(globex, 'GET', `/tickets/${ticketId}/time-entries`)).status).toBe(404);
    expect((await call(globex, 'POST', `/tickets/${ticketId}/time-entries`, { minutes: 3 })).status).toBe(404);
    expect((await call(globex, 'PATCH', `/tickets/${ticketId}/time-entries/${entry.id}`, { minutes: 4 }, 'owner')).status).toBe(404);
    expect((await call(globex, 'DELETE', `/tickets/${ticketId}/time-entries/${entry.id}`, undefined, 'owner')).status).toBe(404);
    expect((await call(globex, 'POST', `/tickets/${ticketId}/timer`, {})).status).toBe(404);
    const theirs = await call(globex, 'GET', '/time-entries/totals', undefined, 'owner');
    expect(theirs.body.totals.entries).toBe(0);
  });
});

/** Moves the agent's running timer's start back by `minutes`, through the database (as that tenant). */
async function backdateTimer(tenantId: string, userId: string, minutes: number): Promise<void> {
  const db = new Client({ connectionString: process.env.E2E_DATABASE_URL });
  await db.connect();
  try {
    await db.query('BEGIN');
    await db.query(`SELECT set_config('app.tenant_id', $1, true), set_config('role', 'switchboard_app', true)`, [tenantId]);
    await db.query(`UPDATE ticket_timers SET started_at = now() - make_interval(mins => $2) WHERE tenant_id = $1 AND user_id = $3`, [tenantId, minutes, userId]);
    await db.query('COMMIT');
  } finally {
    await db.end();
  }
}
