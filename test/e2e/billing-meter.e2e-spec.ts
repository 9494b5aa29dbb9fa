import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { fakeStripe, type FakeStripe } from '../support/fake-stripe';
import { expectProblem, expectStatus, http } from '../support/http';
import { adminHeaders, startApi, startWorker, waitFor, type RunningApi, type RunningProcess } from '../support/processes';
import { createTwoTenants, type TenantSession } from '../support/tenants';

const API_KEY = 'sk_test_switchboard_meter_e2e';
const WEBHOOK_SECRET = 'whsec_switchboard_meter_e2e';
const API_METER = 'switchboard_api_requests';
const AI_METER = 'switchboard_ai_tokens';
const STORAGE_METER = 'switchboard_storage_bytes';
const SEATS_METER = 'switchboard_seats';
const today = () => new Date().toISOString().slice(0, 10);

interface MeterReport {
  identifier: string;
  category: string;
  dimension: string;
  day: string;
  seq: number;
  quantity: number;
  status: string;
  attempts: number;
  lastError: string | null;
}

/**
 * Usage reported to Stripe billing meters, reconciled against Stripe's summaries, and budget caps,
 * with two tenants, the real api and worker, and a fake Stripe on loopback reached by the real SDK.
 * Usage is written into the daily meter directly (what the AI and API meters fold in, ADR 0052),
 * and the API-request flush is off, so the figures are exactly the test's.
 */
describe('billing: meter reporting, reconciliation, budget caps', () => {
  let api: RunningApi;
  let worker: RunningProcess & { healthUrl: string };
  let stripe: FakeStripe;
  let db: Client;
  let acme: TenantSession;
  let globex: TenantSession;
  const customers = new Map<string, string>();

  type Usage = [TenantSession, 'api_requests' | 'ai_tokens', string, number, number?];
  /** Adds usage rows in one statement, so a reporting run sees all of them or none. */
  const addUsages = (rows: Usage[]) =>
    db.query(
      `INSERT INTO billing_usage_daily AS u (tenant_id, day, category, dimension, quantity, cost_micros)
       SELECT r.tenant_id::uuid, $1::date, r.category, r.dimension, r.quantity::bigint, r.cost_micros::bigint
         FROM jsonb_to_recordset($2::jsonb) AS r (tenant_id text, category text, dimension text, quantity bigint, cost_micros bigint)
       ON CONFLICT (tenant_id, day, category, dimension) DO UPDATE SET quantity = u.quantity + excluded.quantity, cost_micros = u.cost_micros + excluded.cost_micros`,
      [today(), JSON.stringify(rows.map(([t, category, dimension, quantity, costMicros = 0]) => ({ tenant_id: t.tenant.id, category, dimension, quantity, cost_micros: costMicros })))],
    );
  const addUsage = (...row: Usage) => addUsages([row]);
  const eventsOf = (t: TenantSession, meter: string) => stripe.meterEvents.filter((e) => e.event_name === meter && e.payload.stripe_customer_id === customers.get(t.tenant.id));
  const stripeTotal = (t: TenantSession, meter: string) => eventsOf(t, meter).reduce((sum, e) => sum + Number(e.payload.value), 0);
  const reportsOf = async (t: TenantSession): Promise<MeterReport[]> => expectStatus(await http(api.url, 'GET', `/v1/admin/tenants/${t.tenant.id}/meter-reports?limit=100`, { headers: adminHeaders() }), 200).data;
  const mails = (to: string): { to: string; subject: string; text: string }[] => {
    try {
      return readFileSync(join(process.env.E2E_DATA_DIR!, 'mail', 'outbox.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l))
        .filter((m) => m.to === to);
    } catch {
      return [];
    }
  };

  beforeAll(async () => {
    stripe = await fakeStripe(API_KEY, WEBHOOK_SECRET);
    stripe.defineMeter(API_METER);
    stripe.defineMeter(AI_METER);
    stripe.defineMeter(STORAGE_METER, 'last');
    stripe.defineMeter(SEATS_METER, 'last');
    const env = { STRIPE_SECRET_KEY: API_KEY, STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, STRIPE_API_URL: stripe.url, STRIPE_PRICES: 'team:price_team,business:price_business' };
    api = await startApi(env);
    worker = await startWorker({
      ...env,
      OUTBOX_POLL_MS: '50',
      SCHEDULE_OVERRIDES: JSON.stringify({
        'billing.meter-reporting': { every: 1_000 },
        'billing.meter-reconciliation': { every: 1_500 },
        'billing.budget-checks': { every: 1_000 },
        'billing.api-usage-flush': 'off',
      }),
    });
    [acme, globex] = await createTwoTenants(api.url);
    db = new Client({ connectionString: process.env.E2E_DATABASE_URL });
    await db.connect();
    // Each tenant becomes a Stripe customer through its first checkout.
    for (const t of [acme, globex]) {
      expectStatus(await http(api.url, 'POST', '/v1/billing/checkout', { headers: t.headers('owner'), body: { plan: 'team' } }), 200);
      const customer = [...stripe.customers.values()].find((c) => c.metadata.tenant_id === t.tenant.id);
      customers.set(t.tenant.id, customer!.id as string);
    }
  }, 180_000);

  afterAll(async () => {
    await db?.end();
    worker?.child.kill('SIGTERM');
    api?.child.kill('SIGTERM');
    await Promise.all([worker?.exited, api?.exited]);
    await stripe?.stop();
  });

  it('reports each tenant’s usage to its own Stripe customer, as deltas with deterministic identifiers', async () => {
    await addUsages([
      [acme, 'api_requests', 'tickets', 120],
      [acme, 'api_requests', 'customers', 30],
      [acme, 'ai_tokens', 'gpt-4o-mini', 1_000, 4_000],
      [globex, 'api_requests', 'tickets', 7],
    ]);

    await waitFor(async () => stripeTotal(acme, API_METER) === 150 && stripeTotal(acme, AI_METER) === 1_000 && stripeTotal(globex, API_METER) === 7, 'the first meter events at the fake Stripe', 30_000);
    const [apiEvent] = eventsOf(acme, API_METER);
    const [aiEvent] = eventsOf(acme, AI_METER);
    expect(apiEvent).toMatchObject({ payload: { value: '150' } });
    expect(aiEvent).toMatchObject({ payload: { value: '1000', model: 'gpt-4o-mini' } });
    expect(eventsOf(globex, AI_METER)).toEqual([]);
    expect(eventsOf(globex, API_METER).map((e) => e.payload.value)).toEqual(['7']);
    // Every event belongs to one of the two customers, and the identifiers are the ones recorded for the tenant
    // (each marked sent once Stripe's answer is back, a moment after the fake has counted the event).
    const metered = async () => (await reportsOf(acme)).filter((r) => r.category === 'api_requests' || r.category === 'ai_tokens');
    const acmeReports = await waitFor(async () => {
      const rows = await metered();
      return rows.length === 2 && rows.every((r) => r.status === 'sent') ? rows : null;
    }, 'the reports marked sent', 30_000);
    expect(acmeReports.map((r) => r.identifier).sort()).toEqual([apiEvent!.identifier, aiEvent!.identifier].sort());
    expect(acmeReports.every((r) => r.status === 'sent' && r.seq === 1 && r.day === today())).toBe(true);
    expect(acmeReports.find((r) => r.category === 'ai_tokens')).toMatchObject({ dimension: 'gpt-4o-mini', quantity: 1_000 });
    const globexIds = new Set((await reportsOf(globex)).map((r) => r.identifier));
    expect(eventsOf(acme, API_METER).some((e) => globexIds.has(e.identifier))).toBe(false);
    const idempotency = stripe.calls.filter((c) => c.path === '/v1/billing/meter_events' && c.form.identifier === apiEvent!.identifier);
    expect(idempotency[0]!.idempotencyKey).toBe(apiEvent!.identifier);

    // More usage: the next event carries only the growth, under the slice's next identifier.
    await addUsage(acme, 'api_requests', 'tickets', 50);
    await waitFor(async () => stripeTotal(acme, API_METER) === 200, 'the delta at the fake Stripe', 30_000);
    const second = eventsOf(acme, API_METER).at(-1)!;
    expect(second.payload.value).toBe('50');
    expect(second.identifier).not.toBe(apiEvent!.identifier);
    const secondReport = await waitFor(async () => (await reportsOf(acme)).find((r) => r.identifier === second.identifier && r.status === 'sent'), 'the second report marked sent', 30_000);
    expect(secondReport).toMatchObject({ seq: 2, quantity: 50, status: 'sent' });
  }, 90_000);

  it('keeps reports queued while Stripe is down and delivers each once when it is back, also when a response was lost', async () => {
    stripe.setDown(true);
    await addUsage(acme, 'ai_tokens', 'gpt-4o-mini', 500, 2_000);
    const queued = await waitFor(async () => (await reportsOf(acme)).find((r) => r.category === 'ai_tokens' && r.seq === 2 && r.attempts >= 2), 'a report retried while Stripe is down', 30_000);
    expect(queued).toMatchObject({ status: 'pending', quantity: 500 });
    expect(queued.lastError).toContain('500');
    expect(stripeTotal(acme, AI_METER)).toBe(1_000);
    // Tenant operations go on meanwhile.
    expectStatus(await http(api.url, 'GET', '/v1/billing/usage', { headers: acme.headers('owner') }), 200);

    stripe.setDown(false);
    await waitFor(async () => (await reportsOf(acme)).find((r) => r.identifier === queued.identifier && r.status === 'sent'), 'the queued report delivered', 30_000);
    expect(eventsOf(acme, AI_METER).filter((e) => e.identifier === queued.identifier)).toHaveLength(1);
    expect(stripeTotal(acme, AI_METER)).toBe(1_500);

    // Stripe records an event but its answer is lost: the retry carries the same identifier, Stripe keeps one.
    stripe.loseResponses(1);
    await addUsage(acme, 'api_requests', 'tickets', 25);
    const lost = await waitFor(async () => (await reportsOf(acme)).find((r) => r.category === 'api_requests' && r.seq === 3 && r.status === 'sent'), 'the report whose answer was lost marked sent', 30_000);
    expect(eventsOf(acme, API_METER).filter((e) => e.identifier === lost.identifier)).toHaveLength(1);
    expect(stripeTotal(acme, API_METER)).toBe(225);
    expect(stripeTotal(globex, API_METER)).toBe(7);
  }, 90_000);

  it('reports the period’s high-water of stored bytes and seats to last meters, and shows it in the usage', async () => {
    const setStorage = (t: TenantSession, bytes: number) =>
      db.query(`INSERT INTO ticket_attachment_usage (tenant_id, files, bytes) VALUES ($1, 1, $2) ON CONFLICT (tenant_id) DO UPDATE SET bytes = EXCLUDED.bytes`, [t.tenant.id, bytes]);
    const lastValue = (t: TenantSession, meter: string) => eventsOf(t, meter).at(-1)?.payload.value;
    // Five members each from the fixture: the seats meter has them from the first run.
    await waitFor(async () => lastValue(acme, SEATS_METER) === '5' && lastValue(globex, SEATS_METER) === '5', 'the seats at the fake Stripe', 30_000);
    await setStorage(acme, 5_000);
    await waitFor(async () => lastValue(acme, STORAGE_METER) === '5000', 'the stored bytes at the fake Stripe', 30_000);
    // Files deleted: the high-water stays, and no lower value is sent.
    await setStorage(acme, 2_000);
    expectStatus(await http(api.url, 'POST', '/v1/invitations', { headers: acme.headers('owner'), body: { email: 'sixth.seat@acme.test', role: 'agent' } }), 201);
    await waitFor(async () => lastValue(acme, SEATS_METER) === '6', 'the new seat at the fake Stripe', 30_000);
    expect(eventsOf(acme, STORAGE_METER).map((e) => e.payload.value)).toEqual(['5000']);
    expect(eventsOf(globex, STORAGE_METER)).toEqual([]);
    expect(eventsOf(globex, SEATS_METER).map((e) => e.payload.value)).toEqual(['5']);
    const usage = expectStatus(await http(api.url, 'GET', '/v1/billing/usage', { headers: acme.headers('owner') }), 200);
    // (The stored totals are set directly here: no attachment exists, so no content type is listed.)
    expect(usage.levels).toEqual({ storageBytes: { now: 2_000, highWater: 5_000 }, seats: { now: 6, highWater: 6 }, storageByType: [] });
    expect(usage.totals).toMatchObject({ apiRequests: 225, aiTokens: 1_500 });
    expect(expectStatus(await http(api.url, 'GET', '/v1/billing/usage', { headers: globex.headers('owner') }), 200).levels).toEqual({ storageBytes: { now: 0, highWater: 0 }, seats: { now: 5, highWater: 5 }, storageByType: [] });
  }, 90_000);

  it('reconciles our totals with Stripe’s per tenant and period, and shows a difference to operators and on /metrics', async () => {
    type Line = { tenantId: string; category: string; ours: number; reported: number; stripe: number; difference: number; unexplained: number };
    const linesOf = async (t: TenantSession, query = ''): Promise<Line[]> =>
      expectStatus(await http(api.url, 'GET', `/v1/admin/billing/reconciliation?tenantId=${t.tenant.id}${query}`, { headers: adminHeaders() }), 200).data;
    // A check after the last change (an earlier one may have seen five seats): every line agrees.
    const clean = await waitFor(async () => {
      const lines = await linesOf(acme);
      return lines.length === 4 && lines.every((l) => l.unexplained === 0 && l.difference === 0) && lines.some((l) => l.category === 'seats' && l.ours === 6) ? lines : null;
    }, 'a clean reconciliation of acme', 30_000);
    expect(clean.map((l) => [l.category, l.ours, l.stripe]).sort()).toEqual([
      ['ai_tokens', 1_500, 1_500],
      ['api_requests', 225, 225],
      ['seats', 6, 6],
      ['storage_bytes', 5_000, 5_000],
    ]);

    // Something else reports 5 requests for acme's customer: Stripe now has more than we sent.
    const t = Math.floor(Date.now() / 1000);
    stripe.meterEvents.push({ object: 'billing.meter_event', event_name: API_METER, identifier: 'someone_else_1', payload: { stripe_customer_id: customers.get(acme.tenant.id), value: '5' }, timestamp: t, created: t });
    const off = await waitFor(async () => (await linesOf(acme, '&differencesOnly=true')).find((l) => l.category === 'api_requests' && l.stripe === 230), 'the difference reconciled', 30_000);
    expect(off).toMatchObject({ ours: 225, reported: 225, stripe: 230, difference: -5, unexplained: -5 });
    const differing = expectStatus(await http(api.url, 'GET', '/v1/admin/billing/reconciliation?differencesOnly=true&limit=100', { headers: adminHeaders() }), 200).data as Line[];
    expect(differing.map((l) => l.tenantId)).toContain(acme.tenant.id);
    expect(differing.map((l) => l.tenantId)).not.toContain(globex.tenant.id);
    const metrics = await (await fetch(worker.healthUrl.replace(/\/health$/, '/metrics'))).text();
    expect(metrics).toMatch(/billing_meter_unexplained\{category="api_requests"\} 5\b/);
    expect(metrics).toMatch(/billing_meter_tenants_unexplained\{category="api_requests"\} 1\b/);

    // Operators only; a tenant's credential is refused, an unknown tenant is 404.
    expectProblem(await http(api.url, 'GET', '/v1/admin/billing/reconciliation', { headers: acme.headers('owner') }), 403);
    expectProblem(await http(api.url, 'GET', '/v1/admin/tenants/00000000-0000-4000-8000-000000000000/meter-reports', { headers: adminHeaders() }), 404);
    expectProblem(await http(api.url, 'GET', '/v1/admin/billing/reconciliation?differencesOnly=maybe', { headers: adminHeaders() }), 400, 'validation-failed');
  }, 90_000);

  it('lets owners set caps within the plan’s limit, operators override the limit, both audited', async () => {
    const caps = expectStatus(await http(api.url, 'GET', '/v1/billing/budget-caps', { headers: acme.headers('owner') }), 200);
    expect(caps).toMatchObject({ plan: 'Business', warningPercent: 80, aiSpend: { cap: null, ceiling: 100_000, ceilingSource: 'plan', effective: 100_000, used: 0 }, apiRequests: { cap: null, ceiling: null, effective: null, used: 225 } });
    expectProblem(await http(api.url, 'GET', '/v1/billing/budget-caps', { headers: acme.headers('agent') }), 403, 'forbidden');
    const above = expectProblem(await http(api.url, 'PUT', '/v1/billing/budget-caps', { headers: acme.headers('owner'), body: { aiSpendCents: 150_000 } }), 422, 'budget-cap-above-limit');
    expect(above).toMatchObject({ plan: 'Business', errors: [{ field: 'aiSpendCents' }] });
    expectProblem(await http(api.url, 'PUT', '/v1/billing/budget-caps', { headers: acme.headers('owner'), body: { aiSpendCents: -1 } }), 400, 'validation-failed');
    expectProblem(await http(api.url, 'PUT', '/v1/billing/budget-caps', { headers: acme.headers('owner'), body: { apiRequests: 10, extra: true } }), 400, 'validation-failed');

    const raised = expectStatus(await http(api.url, 'PUT', `/v1/admin/tenants/${acme.tenant.id}/budget-caps`, { headers: adminHeaders(), body: { aiSpendCents: 200_000 } }), 200);
    expect(raised.aiSpend).toMatchObject({ ceiling: 200_000, ceilingSource: 'operator', effective: 200_000 });
    const set = expectStatus(await http(api.url, 'PUT', '/v1/billing/budget-caps', { headers: acme.headers('owner'), body: { aiSpendCents: 150_000, version: raised.version } }), 200);
    expect(set.aiSpend).toMatchObject({ cap: 150_000, effective: 150_000, effectiveSource: 'tenant' });
    expectProblem(await http(api.url, 'PUT', '/v1/billing/budget-caps', { headers: acme.headers('owner'), body: { aiSpendCents: 1, version: raised.version } }), 409, 'version-conflict');
    expectProblem(await http(api.url, 'PUT', '/v1/admin/tenants/00000000-0000-4000-8000-000000000000/budget-caps', { headers: adminHeaders(), body: { aiSpendCents: 1 } }), 404);

    const audit = expectStatus(await http(api.url, 'GET', '/v1/audit-logs?action=billing.budget_caps_overridden', { headers: acme.headers('owner') }), 200).data;
    expect(audit[0]).toMatchObject({ actorType: 'platform_admin' });
    expect(expectStatus(await http(api.url, 'GET', '/v1/audit-logs?action=billing.budget_caps_changed', { headers: acme.headers('owner') }), 200).data).toHaveLength(1);
    expect(expectStatus(await http(api.url, 'GET', '/v1/audit-logs?action=billing.budget_caps_changed', { headers: globex.headers('owner') }), 200).data).toEqual([]);
    const globexCaps = expectStatus(await http(api.url, 'GET', '/v1/billing/budget-caps', { headers: globex.headers('owner') }), 200);
    expect(globexCaps).toMatchObject({ version: 0, aiSpend: { cap: null, ceiling: 100_000, ceilingSource: 'plan' }, apiRequests: { cap: null } });
    // The version a tenant without caps reads is the one its first change must carry.
    const first = expectStatus(await http(api.url, 'PUT', '/v1/billing/budget-caps', { headers: globex.headers('owner'), body: { apiRequests: 1_000_000, version: globexCaps.version } }), 200);
    expect(first).toMatchObject({ version: 1, apiRequests: { cap: 1_000_000, effective: 1_000_000, used: 7 } });
  }, 60_000);

  it('warns owners and admins once per period at 80 % of a cap, and refuses at the cap; the other tenant goes on', async () => {
    // 225 requests used: a cap of 250 is at 90 %.
    const warned = expectStatus(await http(api.url, 'PUT', '/v1/billing/budget-caps', { headers: acme.headers('admin'), body: { apiRequests: 250 } }), 200);
    expect(warned.apiRequests).toMatchObject({ cap: 250, effective: 250, used: 225 });
    const subject = 'Budget warning: API requests at 90% of the cap';
    await waitFor(async () => mails(acme.users.owner.email).some((m) => m.subject === subject) && mails(acme.users.admin.email).some((m) => m.subject === subject), 'the warning mails', 30_000);
    const caps = await waitFor(async () => {
      const body = expectStatus(await http(api.url, 'GET', '/v1/billing/budget-caps', { headers: acme.headers('owner') }), 200);
      return body.apiRequests.warnedAt ? body : null;
    }, 'the warning recorded', 10_000);
    expect(mails(acme.users.owner.email).find((m) => m.subject === subject)!.text).toContain('has made 225 of the 250 API requests its budget cap allows');
    expect(mails(acme.users.agent.email)).toEqual([]);
    // Further checks (every second) and more usage in the same period warn no more.
    await addUsage(acme, 'api_requests', 'tickets', 5);
    await new Promise((r) => setTimeout(r, 3_000));
    expect(mails(acme.users.owner.email).filter((m) => m.subject.startsWith('Budget warning: API requests'))).toHaveLength(1);
    expect(expectStatus(await http(api.url, 'GET', '/v1/billing/budget-caps', { headers: acme.headers('owner') }), 200).apiRequests.warnedAt).toBe(caps.apiRequests.warnedAt);
    expect(mails(globex.users.owner.email).filter((m) => m.subject.startsWith('Budget warning'))).toEqual([]);

    // A cap below what was used: API requests are refused until the period ends or the cap is raised.
    expectStatus(await http(api.url, 'PUT', '/v1/billing/budget-caps', { headers: acme.headers('owner'), body: { apiRequests: 200 } }), 200);
    const refused = await http(api.url, 'GET', '/v1/tickets', { headers: acme.headers('agent') });
    const problem = expectProblem(refused, 429, 'api-request-budget-exhausted');
    expect(problem).toMatchObject({ limit: 'api-requests-per-period', plan: 'Business', allowed: 200, capSetBy: 'tenant' });
    expect(problem.used).toBeGreaterThanOrEqual(225);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expectStatus(await http(api.url, 'GET', '/v1/tickets', { headers: globex.headers('agent') }), 200);
    // The owner can still lift it.
    expectStatus(await http(api.url, 'PUT', '/v1/billing/budget-caps', { headers: acme.headers('owner'), body: { apiRequests: null } }), 200);
    expectStatus(await http(api.url, 'GET', '/v1/tickets', { headers: acme.headers('agent') }), 200);

    // An AI spend cap of 0 refuses AI calls through the gateway's budget, naming the plan; globex's calls go on.
    expectStatus(await http(api.url, 'PUT', '/v1/billing/budget-caps', { headers: acme.headers('owner'), body: { aiSpendCents: 0 } }), 200);
    const ai = (t: TenantSession) => http(api.url, 'POST', '/v1/ai/completions', { headers: t.headers('agent'), body: { messages: [{ role: 'user', content: 'Is the boiler pressure fine?' }] } });
    const noAi = expectProblem(await ai(acme), 402, 'ai-budget-exceeded');
    expect(noAi).toMatchObject({ budget: 'monthlyCostCents', limit: 0, plan: 'Business' });
    expectStatus(await ai(globex), 200);
  }, 90_000);
});
