import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { adminHeaders, startApi, startWorker, waitFor, type RunningApi } from '../support/processes';
import { createTwoTenants, type TenantSession } from '../support/tenants';

const PROBLEM = /^application\/problem\+json/;

/**
 * Reporting (ADR 0051): the worker keeps each ticket's metrics and status intervals from its
 * history; tenants read them, operators rebuild them and the rebuild agrees with the worker; two
 * tenants that never see each other's figures.
 */
describe('Reporting: ticket metrics', () => {
  let api: RunningApi;
  let worker: Awaited<ReturnType<typeof startWorker>>;
  let acme: TenantSession;
  let globex: TenantSession;
  let db: Client;

  beforeAll(async () => {
    [api, worker] = await Promise.all([startApi(), startWorker({ OUTBOX_POLL_MS: '50' })]);
    [acme, globex] = await createTwoTenants(api.url);
    db = new Client({ connectionString: process.env.E2E_DATABASE_URL });
    await db.connect();
  }, 120_000);
  afterAll(async () => {
    await db?.end();
    await worker?.stop();
    await api?.stop();
  });

  type Res = { status: number; body: any; headers: Headers };
  async function call(tenant: TenantSession | null, method: string, path: string, body?: unknown, role: 'admin' | 'agent' | 'viewer' = 'agent', extra: Record<string, string> = {}): Promise<Res> {
    const headers = tenant ? tenant.headers(role, extra) : adminHeaders(extra);
    const res = await fetch(`${api.url}/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
  }
  const ok = (res: Res, status = 200): any => {
    if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const problem = (res: Res, status: number): any => {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(PROBLEM);
    return res.body;
  };
  const newTicket = async (tenant: TenantSession) =>
    ok(await call(tenant, 'POST', '/tickets', { subject: `Boiler knocks ${randomUUID().slice(0, 8)}`, description: 'It knocks at night.', requester: { email: `pat.${randomUUID().slice(0, 8)}@example.com`, name: 'Pat' } }), 201);
  const version = async (tenant: TenantSession, id: string) => `W/"${ok(await call(tenant, 'GET', `/tickets/${id}`)).version}"`;
  const patch = async (tenant: TenantSession, id: string, body: Record<string, unknown>) => ok(await call(tenant, 'PATCH', `/tickets/${id}`, body, 'agent', { 'if-match': await version(tenant, id) }));
  const message = (tenant: TenantSession, id: string, body: Record<string, unknown>) => call(tenant, 'POST', `/tickets/${id}/messages`, { body: 'Hello', ...body }).then((r) => ok(r, 201));
  /** The metrics once the worker has caught up with the ticket's history (they include its newest entry). */
  const settled = async (tenant: TenantSession, id: string, probe: (m: any) => boolean = () => true) =>
    waitFor(async () => {
      const res = await call(tenant, 'GET', `/tickets/${id}/metrics`);
      return res.status === 200 && probe(res.body) ? res.body : undefined;
    }, `metrics of ${id}`);

  let ticket: any;
  let metrics: any;

  it('follows a conversation: first and next reply, notes, a reopen, assignment, and each status interval', async () => {
    ticket = await newTicket(acme);
    await message(acme, ticket.id, { visibility: 'internal', body: 'Checking the boiler model' });
    await message(acme, ticket.id, { body: 'We will send someone.' });
    await patch(acme, ticket.id, { status: 'pending', assigneeId: acme.users.agent.userId });
    await message(acme, ticket.id, { author: 'requester', body: 'Any news?' });
    await message(acme, ticket.id, { body: 'Tomorrow at nine.' });
    await patch(acme, ticket.id, { status: 'solved' });
    await message(acme, ticket.id, { author: 'requester', body: 'It knocks again' });
    await patch(acme, ticket.id, { status: 'solved' });

    metrics = await settled(acme, ticket.id, (m) => m.reopens === 1 && m.status === 'solved');
    expect(metrics).toMatchObject({ ticketId: ticket.id, publicReplies: 2, internalNotes: 1, reopens: 1, assigneeChanges: 1, groupChanges: 0, channel: ticket.channel, priority: ticket.priority });
    expect(metrics.agentTouches).toBeGreaterThanOrEqual(6);
    expect(metrics.firstReplyMinutes).toBeGreaterThanOrEqual(0);
    expect(metrics.firstReplyBusinessMinutes).toBeNull(); // no group, so no business calendar
    expect(metrics.nextReplies).toHaveLength(1);
    expect(metrics.firstSolvedAt < metrics.solvedAt).toBe(true);
    expect(metrics.fullResolutionMinutes).toBeGreaterThanOrEqual(0);

    const durations = ok(await call(acme, 'GET', `/tickets/${ticket.id}/status-durations`));
    expect(durations.data.map((i: any) => i.status)).toEqual(['new', 'open', 'pending', 'open', 'solved', 'open', 'solved']);
    expect(durations.data.at(-1)).toMatchObject({ endedAt: null, minutes: null });
    for (const [i, interval] of durations.data.slice(0, -1).entries()) expect(interval.endedAt).toBe(durations.data[i + 1].startedAt);
  });

  it('is the tenant’s own: another tenant’s ticket is a 404, a bad id a 400, and it reads with tickets:read only', async () => {
    problem(await call(globex, 'GET', `/tickets/${ticket.id}/metrics`), 404);
    problem(await call(globex, 'GET', `/tickets/${ticket.id}/status-durations`), 404);
    problem(await call(acme, 'GET', `/tickets/${randomUUID()}/metrics`), 404);
    problem(await call(acme, 'GET', '/tickets/not-a-uuid/metrics'), 400);
    expect(ok(await call(acme, 'GET', `/tickets/${ticket.id}/metrics`, undefined, 'viewer'))).toEqual(metrics);
    const other = await newTicket(globex);
    expect((await settled(globex, other.id)).ticketId).toBe(other.id);
    problem(await call(acme, 'GET', `/tickets/${other.id}/metrics`), 404);
  });

  it('keeps a merged ticket’s figures its own, and drops a deleted ticket’s', async () => {
    const source = await newTicket(acme);
    await message(acme, source.id, { body: 'Looking into it' });
    const target = await newTicket(acme);
    const before = await settled(acme, target.id);
    const computedAt = async () => (await db.query('SELECT computed_at FROM reporting_ticket_metrics WHERE ticket_id = $1', [target.id])).rows[0].computed_at.getTime();
    const computedBefore = await computedAt();
    ok(await call(acme, 'POST', `/tickets/${source.id}/merge`, { targetId: target.id }, 'agent', { 'if-match': await version(acme, source.id) }));
    const merged = await settled(acme, source.id, (m) => m.status === 'closed');
    expect(merged).toMatchObject({ publicReplies: 1, solvedAt: expect.any(String) });
    // The target was recomputed after the merge, and the source's conversation did not become its own.
    await waitFor(async () => (await computedAt()) > computedBefore, 'target recomputed');
    expect(ok(await call(acme, 'GET', `/tickets/${target.id}/metrics`))).toEqual(before);

    const doomed = await newTicket(acme);
    await settled(acme, doomed.id);
    ok(await call(acme, 'DELETE', `/tickets/${doomed.id}`, undefined, 'admin'), 202);
    await waitFor(async () => (await db.query('SELECT 1 FROM reporting_ticket_metrics WHERE ticket_id = $1', [doomed.id])).rowCount === 0, 'deleted ticket’s metrics gone');
    problem(await call(acme, 'GET', `/tickets/${doomed.id}/metrics`), 404);
  });

  it('rebuilds a tenant from its history in batches, agreeing exactly with what the worker kept', async () => {
    const kept = (await db.query('SELECT * FROM reporting_ticket_metrics WHERE tenant_id = $1 ORDER BY ticket_id', [acme.tenant.id])).rows;
    const keptIntervals = (await db.query('SELECT * FROM reporting_status_intervals WHERE tenant_id = $1 ORDER BY ticket_id, seq', [acme.tenant.id])).rows;
    expect(kept.length).toBeGreaterThanOrEqual(3);
    const globexBefore = (await db.query('SELECT ticket_id, computed_at FROM reporting_ticket_metrics WHERE tenant_id = $1', [globex.tenant.id])).rows;
    // Damage the stored figures: the rebuild must put them back from history alone.
    await db.query('UPDATE reporting_ticket_metrics SET public_replies = 99, reopens = 7 WHERE tenant_id = $1', [acme.tenant.id]);
    await db.query('DELETE FROM reporting_status_intervals WHERE tenant_id = $1 AND seq > 1', [acme.tenant.id]);

    problem(await call(acme, 'POST', `/admin/tenants/${acme.tenant.id}/reporting/rebuild`, undefined, 'admin'), 403);
    problem(await call(null, 'POST', `/admin/tenants/${randomUUID()}/reporting/rebuild`), 404);
    problem(await call(null, 'GET', `/admin/tenants/${globex.tenant.id}/reporting/rebuild`), 404);
    const started = ok(await call(null, 'POST', `/admin/tenants/${acme.tenant.id}/reporting/rebuild`), 202);
    expect(started).toMatchObject({ generation: 1, state: 'running', done: 0, finishedAt: null });
    const done = await waitFor(async () => ((r) => (r.state === 'done' ? r : undefined))(ok(await call(null, 'GET', `/admin/tenants/${acme.tenant.id}/reporting/rebuild`))), 'rebuild done');
    expect(done.generation).toBe(1);
    expect(done.done).toBeGreaterThanOrEqual(kept.length); // deleted tickets are read too, and have no figures
    const strip = (rows: any[]) => rows.map(({ computed_at, ...r }) => r);
    expect(strip((await db.query('SELECT * FROM reporting_ticket_metrics WHERE tenant_id = $1 ORDER BY ticket_id', [acme.tenant.id])).rows)).toEqual(strip(kept));
    expect((await db.query('SELECT * FROM reporting_status_intervals WHERE tenant_id = $1 ORDER BY ticket_id, seq', [acme.tenant.id])).rows).toEqual(keptIntervals);
    expect((await db.query('SELECT ticket_id, computed_at FROM reporting_ticket_metrics WHERE tenant_id = $1', [globex.tenant.id])).rows).toEqual(globexBefore);
  });

  it('exports every ticket’s metrics as CSV or NDJSON, the tenant’s own only, and pulls incrementally with the cursor', async () => {
    const first = await newTicket(acme);
    const second = await newTicket(acme);
    const theirs = await newTicket(globex);
    await Promise.all([settled(acme, first.id), settled(acme, second.id), settled(globex, theirs.id)]);
    // As if the worker had computed acme's figures two hours ago.
    await db.query(`UPDATE reporting_ticket_metrics SET computed_at = now() - interval '2 hours' WHERE tenant_id = $1`, [acme.tenant.id]);

    const download = async (query: string) => {
      const res = await fetch(`${api.url}/v1/reports/exports/ticket-metrics${query}`, { headers: acme.headers('agent') });
      return { status: res.status, type: res.headers.get('content-type'), cursor: res.headers.get('export-cursor'), disposition: res.headers.get('content-disposition'), text: await res.text() };
    };
    const csv = await download('');
    expect(csv.status).toBe(200);
    expect(csv.type).toMatch(/^text\/csv/);
    expect(csv.disposition).toMatch(/^attachment; filename="ticket-metrics-\d{4}-\d{2}-\d{2}\.csv"$/);
    const lines = csv.text.trimEnd().split('\n');
    expect(lines[0]).toBe('ticket_id,created_at,status,custom_status_id,group_id,assignee_id,channel,priority,first_reply_at,first_reply_minutes,first_reply_business_minutes,next_replies,next_reply_minutes_avg,first_solved_at,solved_at,full_resolution_minutes,full_resolution_business_minutes,public_replies,internal_notes,reopens,assignee_changes,group_changes,agent_touches,computed_at');
    const ids = lines.slice(1).map((l) => l.split(',')[0]);
    expect(ids).toEqual(expect.arrayContaining([first.id, second.id]));
    expect(ids).not.toContain(theirs.id);
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM reporting_ticket_metrics WHERE tenant_id = $1`, [acme.tenant.id]);
    expect(ids).toHaveLength(rows[0].n);

    const ndjson = await download('?format=ndjson');
    expect(ndjson.type).toMatch(/^application\/x-ndjson/);
    const objects = ndjson.text.trimEnd().split('\n').map((l) => JSON.parse(l));
    const { computedAt, ...figures } = objects.find((o) => o.ticketId === second.id);
    expect(figures).toEqual(ok(await call(acme, 'GET', `/tickets/${second.id}/metrics`)));
    expect(Date.parse(computedAt)).toBeLessThan(Date.now() - 3_600_000);

    // Since the first pull, only the ticket that changed comes again.
    await message(acme, second.id, { visibility: 'public', body: 'We are on it.' });
    await settled(acme, second.id, (m) => m.publicReplies === 1);
    const since = await download(`?format=ndjson&cursor=${encodeURIComponent(csv.cursor!)}`);
    expect(since.status).toBe(200);
    const pulled = since.text.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(pulled.map((o) => o.ticketId)).toContain(second.id);
    // Only figures computed since the cursor come again (not the two-hour-old ones).
    expect(pulled.length).toBeLessThan(objects.length);
    for (const o of pulled) expect(Date.parse(o.computedAt)).toBeGreaterThan(Date.now() - 3_600_000);

    problem(await call(acme, 'GET', '/reports/exports/ticket-metrics?cursor=not-a-cursor'), 400);
    problem(await call(acme, 'GET', '/reports/exports/ticket-metrics?format=xlsx'), 400);
    problem(await call(null, 'GET', '/reports/exports/ticket-metrics'), 401);
  });
});
