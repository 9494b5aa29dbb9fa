import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { adminHeaders, startApi, startWorker, waitFor, type RunningApi } from '../support/processes';
import { createTwoTenants, type TenantSession } from '../support/tenants';

const PROBLEM = /^application\/problem\+json/;

/**
 * Daily rollups and the dashboards API (ADR 0059): the worker rolls each changed local day up
 * from the ticket metrics; reports answer from the rollups only, per tenant, with agent-level
 * figures for owners and admins (an agent sees their own), and export the same series.
 */
describe('Reporting: daily rollups and dashboards', () => {
  let api: RunningApi;
  let worker: Awaited<ReturnType<typeof startWorker>>;
  let acme: TenantSession;
  let globex: TenantSession;
  let db: Client;
  let today: string;

  beforeAll(async () => {
    [api, worker] = await Promise.all([startApi(), startWorker({ OUTBOX_POLL_MS: '50' })]);
    [acme, globex] = await createTwoTenants(api.url);
    db = new Client({ connectionString: process.env.E2E_DATABASE_URL });
    await db.connect();
    today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  }, 120_000);
  afterAll(async () => {
    await db?.end();
    await worker?.stop();
    await api?.stop();
  });

  type Role = 'owner' | 'admin' | 'agent' | 'viewer';
  type Res = { status: number; body: any; text: string; headers: Headers };
  async function call(tenant: TenantSession, method: string, path: string, body?: unknown, role: Role = 'agent', extra: Record<string, string> = {}): Promise<Res> {
    const res = await fetch(`${api.url}/v1${path}`, { method, headers: tenant.headers(role, extra), body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.status, body: parsed, text, headers: res.headers };
  }
  const ok = (res: Res, status = 200): any => {
    if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${res.text}`);
    return res.body;
  };
  const problem = (res: Res, status: number): any => {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(PROBLEM);
    expect(typeof res.body.detail).toBe('string');
    return res.body;
  };
  const newTicket = async (tenant: TenantSession, extra: Record<string, unknown> = {}) =>
    ok(await call(tenant, 'POST', '/tickets', { subject: `Leaking tap ${randomUUID().slice(0, 8)}`, description: 'Drips all night.', requester: { email: `sam.${randomUUID().slice(0, 8)}@example.com`, name: 'Sam' }, ...extra }), 201);
  const version = async (tenant: TenantSession, id: string) => `W/"${ok(await call(tenant, 'GET', `/tickets/${id}`)).version}"`;
  const patch = async (tenant: TenantSession, id: string, body: Record<string, unknown>) => ok(await call(tenant, 'PATCH', `/tickets/${id}`, body, 'agent', { 'if-match': await version(tenant, id) }));
  const message = (tenant: TenantSession, id: string, body: Record<string, unknown>) => call(tenant, 'POST', `/tickets/${id}/messages`, { body: 'Hello', ...body }).then((r) => ok(r, 201));
  const report = async (tenant: TenantSession, name: string, query = '', role: Role = 'admin') => ok(await call(tenant, 'GET', `/reports/${name}?from=${today}&to=${today}${query}`, undefined, role));
  /** A series' value today (grouped series are picked by key). */
  const value = (result: any, key: string) => {
    const series = result.series.find((s: any) => s.key === key);
    if (!series) throw new Error(`no series ${key} in ${JSON.stringify(result.series.map((s: any) => s.key))}`);
    return series.points.find((p: any) => p.period === today)?.value;
  };
  /** Waits until the rollups show the expected volume (the worker rolls days up a few seconds after a change). */
  const volumeSettles = (tenant: TenantSession, expected: { created: number; solved: number; reopened: number }) =>
    waitFor(
      async () => {
        const r = await report(tenant, 'volume');
        return value(r, 'created') === expected.created && value(r, 'solved') === expected.solved && value(r, 'reopened') === expected.reopened ? r : undefined;
      },
      `volume ${JSON.stringify(expected)}`,
      60_000,
    );
  const settledMetrics = (tenant: TenantSession, id: string, probe: (m: any) => boolean) =>
    waitFor(async () => {
      const res = await call(tenant, 'GET', `/tickets/${id}/metrics`);
      return res.status === 200 && probe(res.body) ? res.body : undefined;
    }, `metrics of ${id}`);

  let solvedTicket: any;

  it('rolls the day up: created, solved and reopened tickets, the backlog at the end of the day, and reply and resolution times', async () => {
    // One solved by the agent, one solved and reopened by its requester, one left new.
    solvedTicket = await newTicket(acme, { tags: ['billing'] });
    await message(acme, solvedTicket.id, { body: 'Fixed it for you.' });
    await patch(acme, solvedTicket.id, { status: 'solved', assigneeId: acme.users.agent.userId });
    const reopened = await newTicket(acme, { priority: 'high' });
    await message(acme, reopened.id, { body: 'Try turning it off and on.' });
    await patch(acme, reopened.id, { status: 'solved' });
    await message(acme, reopened.id, { author: 'requester', body: 'Still broken' });
    await newTicket(acme);

    const volume = await volumeSettles(acme, { created: 3, solved: 2, reopened: 1 });
    expect(volume).toMatchObject({ report: 'volume', timeZone: 'Europe/Berlin', from: today, to: today, interval: 'day', groupBy: null, filters: { groupId: null, agentId: null }, currency: null });
    expect(volume.computedAt).toEqual(expect.any(String));

    const backlog = await report(acme, 'backlog');
    expect(value(backlog, 'backlog')).toBe(2);

    const m = await settledMetrics(acme, solvedTicket.id, (x) => x.solvedAt !== null);
    const times = await report(acme, 'response-times');
    expect(value(times, 'first_reply_p50')).toBeCloseTo(m.firstReplyMinutes, 2);
    expect(value(times, 'first_reply_p90')).toBeCloseTo(m.firstReplyMinutes, 2);
    expect(value(times, 'resolution_p50')).toBeCloseTo(m.fullResolutionMinutes, 2);
    expect(value(times, 'solved')).toBe(1); // the reopened ticket is not solved any more

    // The same figures as a direct aggregation over the metrics the worker keeps.
    const direct = (
      await db.query(
        `SELECT count(*)::int AS created, count(*) FILTER (WHERE status NOT IN ('solved', 'closed'))::int AS open FROM reporting_ticket_metrics
          WHERE tenant_id = $1 AND (created_at AT TIME ZONE 'Europe/Berlin')::date = $2::date`,
        [acme.tenant.id, today],
      )
    ).rows[0];
    expect(direct).toEqual({ created: 3, open: 2 });
  });

  it('breaks figures down by agent, priority and tag, and keeps another tenant’s figures apart', async () => {
    const byAgent = await report(acme, 'volume', '&groupBy=agent');
    expect(value(byAgent, `solved:${acme.users.agent.userId}`)).toBe(1);
    expect(value(byAgent, 'created:')).toBe(2); // the two unassigned tickets
    // Series are labelled with the member's name (test members are named after their role).
    const agentSeries = byAgent.series.find((s: any) => s.key === `solved:${acme.users.agent.userId}`);
    expect(agentSeries.dimension).toEqual({ by: 'agent', value: acme.users.agent.userId, label: 'agent' });
    expect(agentSeries.label).toBe('Solved — agent');
    expect(byAgent.series.find((s: any) => s.key === 'created:').dimension.label).toBe('Unassigned');
    const byPriority = await report(acme, 'volume', '&groupBy=priority');
    expect(value(byPriority, 'created:high')).toBe(1);
    const byTag = await report(acme, 'volume', '&groupBy=tag');
    expect(byTag.series.map((s: any) => s.key)).toEqual(['created:billing', 'solved:billing', 'reopened:billing']);
    expect(value(byTag, 'created:billing')).toBe(1);
    expect(byTag.series[0].dimension).toEqual({ by: 'tag', value: 'billing', label: 'billing' });

    await newTicket(globex);
    await volumeSettles(globex, { created: 1, solved: 0, reopened: 0 });
    expect(value(await report(acme, 'volume'), 'created')).toBe(3);
    // Another tenant's agent as a filter finds nothing here.
    expect(value(await report(globex, 'volume', `&agentId=${acme.users.agent.userId}`), 'created')).toBe(0);
  });

  it('shows an agent their own figures only; other roles see team figures', async () => {
    const own = await report(acme, 'volume', '', 'agent');
    expect(own.filters.agentId).toBe(acme.users.agent.userId);
    expect(value(own, 'created')).toBe(1);
    expect(value(own, 'solved')).toBe(1);
    expect(value(await report(acme, 'volume', `&agentId=${acme.users.agent.userId}`, 'agent'), 'created')).toBe(1);
    problem(await call(acme, 'GET', `/reports/volume?agentId=${acme.users.admin.userId}`), 403);
    problem(await call(acme, 'GET', '/reports/volume?groupBy=agent', undefined, 'viewer'), 403);
    expect(value(await report(acme, 'volume', '', 'viewer'), 'created')).toBe(3);
    expect(value(await report(acme, 'volume', `&agentId=${acme.users.agent.userId}`, 'owner'), 'created')).toBe(1);
  });

  it('answers bad input with a problem: unknown report 404, bad dates, interval, grouping or ids 400', async () => {
    problem(await call(acme, 'GET', '/reports/revenue-forecast'), 404);
    problem(await call(acme, 'GET', '/reports/revenue-forecast/export'), 404);
    const bad = async (query: string, field: string) => expect(problem(await call(acme, 'GET', `/reports/volume?${query}`, undefined, 'admin'), 400).errors?.[0]?.field ?? field).toBe(field);
    await bad('from=2026-13-01', 'from');
    await bad('from=2026-02-30', 'from');
    await bad('to=yesterday', 'to');
    await bad('from=2026-03-02&to=2026-03-01', 'from');
    await bad('from=2023-01-01&to=2026-01-01', 'to');
    await bad('interval=hour', 'interval');
    await bad('groupBy=planet', 'groupBy');
    await bad('groupId=42', 'groupId');
    await bad('from=2026-01-01&from=2026-01-02', 'from');
    problem(await call(acme, 'GET', '/reports/volume/export?format=xlsx', undefined, 'admin'), 400);
  });

  it('sums days into weeks and months, with ratios and percentiles recomputed from the days', async () => {
    const week = ok(await call(acme, 'GET', `/reports/volume?from=${today}&to=${today}&interval=week`, undefined, 'admin'));
    expect(week.series[0].points).toHaveLength(1);
    expect(week.series[0].points[0].value).toBe(3);
    const month = ok(await call(acme, 'GET', `/reports/response-times?from=${today.slice(0, 8)}01&to=${today}&interval=month`, undefined, 'admin'));
    expect(month.series.find((s: any) => s.key === 'solved').points[0]).toEqual({ period: `${today.slice(0, 8)}01`, value: 1 });
    const csat = await report(acme, 'csat');
    expect(value(csat, 'score')).toBeNull(); // nothing rated: no ratio, not zero
  });

  it('exports the same series as CSV and NDJSON rows', async () => {
    const csv = await call(acme, 'GET', `/reports/volume/export?from=${today}&to=${today}&groupBy=priority`, undefined, 'admin');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toBe('period,series,label,dimension,dimension_value,unit,value');
    expect(lines).toContain(`${today},created:high,Created — high,priority,high,count,1`);
    const nd = await call(acme, 'GET', `/reports/volume/export?format=ndjson&from=${today}&to=${today}`, undefined, 'admin');
    expect(nd.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    const rows = nd.text.trim().split('\n').map((l) => JSON.parse(l));
    expect(rows).toContainEqual({ period: today, series: 'created', label: 'Created', dimension: null, dimensionValue: null, unit: 'count', value: 3 });
    const other = await call(globex, 'GET', `/reports/volume/export?format=ndjson&from=${today}&to=${today}`, undefined, 'admin');
    expect(other.text.trim().split('\n').map((l) => JSON.parse(l))).toContainEqual(expect.objectContaining({ series: 'created', value: 1 }));
  });

  it('counts other contexts’ events once each: a CSAT rating and its change, a completed job’s revenue, AI usage and SLA breaches', async () => {
    // Committed events as their contexts write them to the outbox; the relay brings them to reporting.
    const plant = (type: string, aggregateType: string, aggregateId: string, payload: unknown) =>
      db.query(`INSERT INTO outbox (tenant_id, id, type, aggregate_type, aggregate_id, payload, actor_id) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
        acme.tenant.id,
        randomUUID(),
        type,
        aggregateType,
        aggregateId,
        JSON.stringify(payload),
        acme.users.agent.userId,
      ]);
    const rated = { scale: 'binary', comment: null, assigneeId: acme.users.agent.userId, groupId: null };
    await plant('tickets.csat_rated', 'ticket', solvedTicket.id, { ...rated, rating: 'good', changed: false });
    await plant('tickets.csat_rated', 'ticket', solvedTicket.id, { ...rated, rating: 'bad', changed: true });
    const job = randomUUID();
    await plant('field_service.job_completed', 'field_service_job', job, { completedAt: new Date().toISOString(), currency: 'EUR', subtotal: 10_000, tax: 1_900, total: 11_900, visitIds: [randomUUID()] });
    await plant('ai.usage_recorded', 'ai_usage', randomUUID(), {
      feature: 'reply_draft', provider: 'local', model: 'local-1', promptTokens: 120, completionTokens: 30, costMicros: 25_000, outcome: 'success', latencyMs: 5, attempts: 1, template: null,
    });
    await plant('tickets.ticket_sla_breached', 'ticket', solvedTicket.id, { metric: 'first_reply_time', breachedAt: new Date().toISOString(), policyId: randomUUID(), policyVersion: 1 });

    const csat = await waitFor(
      async () => {
        const r = await report(acme, 'csat');
        return value(r, 'rated') === 1 && value(r, 'good') === 0 ? r : undefined;
      },
      'the changed rating counted once',
      60_000,
    );
    expect(value(csat, 'score')).toBe(0);
    const fs = await waitFor(async () => ((r) => (value(r, 'jobs_completed') === 1 ? r : undefined))(await report(acme, 'field-service')), 'the job counted', 60_000);
    expect(fs.currency).toBe('EUR');
    expect(value(fs, 'revenue')).toBe(11_900);
    expect(value(fs, 'first_time_fix')).toBe(100);
    const ai = await waitFor(async () => ((r) => (value(r, 'tokens') === 150 ? r : undefined))(await report(acme, 'ai-usage')), 'the model call counted', 60_000);
    expect(value(ai, 'tokens_reply_draft/local')).toBe(150);
    expect(value(ai, 'cost')).toBe(2.5); // 25,000 micro-dollars = 2.5 cents
    const sla = await waitFor(async () => ((r) => (value(r, 'breached') === 1 ? r : undefined))(await report(acme, 'sla')), 'the breach counted', 60_000);
    expect(value(sla, 'breached_first_reply_time')).toBe(1);
    // The agent the rating was about sees it in their own figures; the other tenant sees none of it.
    expect(value(await report(acme, 'csat', '', 'agent'), 'rated')).toBe(1);
    expect(value(await report(globex, 'csat'), 'rated')).toBe(0);
    expect(value(await report(globex, 'ai-usage'), 'tokens')).toBe(0);
  });

  it('recomputes a day to the same rows however often it is marked, tells consoles which days moved, and follows a reopen later on', async () => {
    const rows = async () => (await db.query(`SELECT level, day::text, group_id, agent_id, channel, priority, tag, metric, key, n, amount, vals FROM reporting_daily_rollups WHERE tenant_id = $1 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9`, [acme.tenant.id])).rows;
    const stamp = async () => (await db.query(`SELECT max(computed_at) AS at FROM reporting_daily_rollups WHERE tenant_id = $1`, [acme.tenant.id])).rows[0].at.getTime();
    const before = await rows();
    const at = await stamp();
    // Marked again (as a redelivered change or a repeated sweep would): the same rows come back.
    await db.query(`INSERT INTO reporting_rollup_dirty (tenant_id, from_at, to_at) VALUES ($1, now(), NULL), ($1, now(), NULL)`, [acme.tenant.id]);
    await waitFor(async () => (await stamp()) > at, 'the day recomputed', 30_000);
    expect(await rows()).toEqual(before);
    const events = (await db.query(`SELECT payload FROM outbox WHERE tenant_id = $1 AND type = 'reporting.rollups_updated'`, [acme.tenant.id])).rows;
    expect(events.length).toBeGreaterThanOrEqual(2);
    expect(events.at(-1).payload.days).toEqual([today]);
    expect((await db.query(`SELECT count(*)::int AS n FROM outbox WHERE tenant_id = $1 AND type = 'reporting.rollups_updated'`, [globex.tenant.id])).rows[0].n).toBeGreaterThanOrEqual(1);

    await message(acme, solvedTicket.id, { author: 'requester', body: 'It drips again' });
    await volumeSettles(acme, { created: 3, solved: 2, reopened: 2 });
    expect(value(await report(acme, 'backlog'), 'backlog')).toBe(3);
    expect(value(await report(acme, 'response-times'), 'first_reply_p50')).toBeNull();
  });

  it('rolls the tenant up again after an operator’s rebuild', async () => {
    const before = (await db.query(`SELECT level, day::text, metric, key, tag, group_id, agent_id, channel, priority, n FROM reporting_daily_rollups WHERE tenant_id = $1 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9`, [acme.tenant.id])).rows;
    await db.query(`DELETE FROM reporting_daily_rollups WHERE tenant_id = $1`, [acme.tenant.id]);
    const res = await fetch(`${api.url}/v1/admin/tenants/${acme.tenant.id}/reporting/rebuild`, { method: 'POST', headers: adminHeaders() });
    expect(res.status).toBe(202);
    await volumeSettles(acme, { created: 3, solved: 2, reopened: 2 });
    expect((await db.query(`SELECT level, day::text, metric, key, tag, group_id, agent_id, channel, priority, n FROM reporting_daily_rollups WHERE tenant_id = $1 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9`, [acme.tenant.id])).rows).toEqual(before);
  });
});
