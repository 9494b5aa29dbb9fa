import { Queue } from 'bullmq';
import { Client } from 'pg';
import { startApi, startWorker, waitFor, type RunningApi, QUEUE_PREFIX } from '../support/processes';
import { connectAgent, type AgentClient } from '../support/sockets';
import { createTwoTenants, type TenantSession } from '../support/tenants';

const MIN = 60_000;

/**
 * The SLA engine in the worker (ADR 0045): tickets' slaBreachAt and state kept current on every
 * change, metric events recorded once, breach and warning timers at their instant (once, even
 * when the job runs twice at the same time), policy edits applied to open tickets, and lists
 * sorted and filtered by SLA; two tenants.
 */
describe('SLA deadlines and timers', () => {
  let api: RunningApi;
  let worker: Awaited<ReturnType<typeof startWorker>>;
  let acme: TenantSession;
  let globex: TenantSession;
  let db: Client;
  let queue: Queue;
  let console_: AgentClient;

  beforeAll(async () => {
    [api, worker] = await Promise.all([startApi(), startWorker({ OUTBOX_POLL_MS: '50' })]);
    [acme, globex] = await createTwoTenants(api.url);
    db = new Client({ connectionString: process.env.E2E_DATABASE_URL });
    await db.connect();
    queue = new Queue('sla', { connection: { url: process.env.E2E_REDIS_URL!, maxRetriesPerRequest: null }, prefix: QUEUE_PREFIX });
    console_ = connectAgent(api.url, acme.tokens.agent);
  });
  afterAll(async () => {
    console_?.close();
    await queue?.close();
    await db?.end();
    await worker?.stop();
    await api?.stop();
  });

  async function call(tenant: TenantSession, method: string, path: string, body?: unknown, role: 'admin' | 'agent' = 'agent', extra: Record<string, string> = {}) {
    const res = await fetch(`${api.url}/v1${path}`, { method, headers: tenant.headers(role, extra), body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }
  const ok = <T = any>(res: { status: number; body: any }, status = 200): T => {
    if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body as T;
  };
  const ticket = async (id: string) => ok(await call(acme, 'GET', `/tickets/${id}`));
  const patch = async (id: string, body: Record<string, unknown>) => {
    const current = await ticket(id);
    return ok(await call(acme, 'PATCH', `/tickets/${id}`, body, 'agent', { 'if-match': `W/"${current.version}"` }));
  };
  /** Waits for the worker to bring the ticket to the state `probe` accepts. */
  const settle = (id: string, what: string, probe: (t: any) => boolean) => waitFor(async () => ((t) => (probe(t) ? t : undefined))(await ticket(id)), what);
  const offset = (t: any, from: string) => (t.slaBreachAt === null ? null : Math.round((Date.parse(t.slaBreachAt) - Date.parse(from)) / MIN));
  const metricEvents = async (ticketId: string, kind: string) =>
    (await db.query(`SELECT metric, at, policy_version FROM sla_metric_events WHERE ticket_id = $1 AND kind = $2 ORDER BY at`, [ticketId, kind])).rows;

  let urgentPolicy: any;
  let breachedId: string;

  it('keeps slaBreachAt current through pause and resume, priority and group changes, solve and reopen; another tenant sees 404', async () => {
    urgentPolicy = ok(await call(acme, 'POST', '/sla-policies', { name: 'Calendar time', position: 10, targets: { urgent: { first_reply: 60, resolution: 240 }, normal: { first_reply: 480 } }, businessHours: false, warningMinutes: 10 }, 'admin'), 201);
    const group = ok(await call(acme, 'POST', '/groups', { name: 'Escalations' }, 'admin'), 201);
    ok(await call(acme, 'POST', '/sla-policies', { name: 'Escalations', position: 0, conditions: { groupIds: [group.id] }, targets: { normal: { first_reply: 20 } }, businessHours: false }, 'admin'), 201);

    const created = ok(await call(acme, 'POST', '/tickets', { subject: 'Server down', priority: 'urgent', requester: { email: 'pat@sla.example' } }), 201);
    let t = await settle(created.id, 'a deadline', (x) => x.slaBreachAt !== null);
    expect(offset(t, created.createdAt)).toBe(60);
    expect(t.slaState).toBe('active');

    await patch(created.id, { status: 'pending' });
    t = await settle(created.id, 'paused', (x) => x.slaState === 'paused');
    expect(t.slaBreachAt).toBeNull();
    await patch(created.id, { status: 'open' });
    t = await settle(created.id, 'resumed', (x) => x.slaState === 'active');
    expect(offset(t, created.createdAt)).toBeGreaterThanOrEqual(60);

    // Priority mid-flight: the normal target (480) applies at once.
    await patch(created.id, { priority: 'normal' });
    t = await settle(created.id, 'the normal target', (x) => offset(x, created.createdAt)! >= 480);
    // Group mid-flight: the group's policy (20 minutes) applies at once, and the change is recorded.
    await patch(created.id, { groupId: group.id });
    t = await settle(created.id, 'the group policy', (x) => offset(x, created.createdAt) === 20);
    expect(await metricEvents(created.id, 'policy_changed')).toEqual([expect.objectContaining({ metric: 'first_reply' })]);

    // Solved: no clock runs; reopened: resolution resumes (the urgent policy again).
    await patch(created.id, { groupId: null, priority: 'urgent' });
    await patch(created.id, { status: 'solved' });
    t = await settle(created.id, 'solved', (x) => x.slaState === null);
    expect(t.slaBreachAt).toBeNull();
    await patch(created.id, { status: 'open' });
    t = await settle(created.id, 'reopened', (x) => x.slaState !== null);
    const sla = ok(await call(acme, 'GET', `/tickets/${created.id}/sla`));
    expect(sla.events.filter((e: any) => e.recorded).map((e: any) => `${e.metric}:${e.type}`)).toEqual(
      expect.arrayContaining(['first_reply:activated', 'resolution:paused', 'resolution:resumed', 'resolution:fulfilled', 'first_reply:policy_changed']),
    );
    expect(sla.events.find((e: any) => e.recorded).policy).toMatchObject({ id: expect.any(String), version: expect.any(Number) });

    expect((await call(globex, 'GET', `/tickets/${created.id}`)).status).toBe(404);
    expect((await call(globex, 'GET', `/tickets/${created.id}/sla`)).status).toBe(404);
  });

  it('fires the warning and the breach at their instant, once each, even when the breach job runs twice at once', async () => {
    const created = ok(await call(acme, 'POST', '/tickets', { subject: 'Printer on fire', priority: 'urgent', requester: { email: 'pat@sla.example' } }), 201);
    await settle(created.id, 'a deadline', (x) => x.slaBreachAt !== null);
    // Fifty-nine minutes and a few seconds pass (the history moves back), then any change recomputes: the breach is seconds away, the warning past.
    await db.query(`UPDATE ticket_events SET created_at = created_at - interval '59 minutes 56 seconds' WHERE ticket_id = $1`, [created.id]);
    await patch(created.id, { tags: ['hot'] });
    const breached = await console_.next('ticket.sla_breached', (d) => d.ticketId === created.id, 20_000);
    const arrived = Date.now();
    expect(breached).toMatchObject({ metric: 'first_reply', policyId: urgentPolicy.id });
    const warning = await console_.next('ticket.sla_warning', (d) => d.ticketId === created.id);
    expect(warning).toMatchObject({ metric: 'first_reply' });
    // At the instant: not before it, and within BullMQ's delayed-job accuracy plus the outbox relay's poll.
    expect(arrived).toBeGreaterThanOrEqual(Date.parse(breached.breachedAt));
    expect(arrived - Date.parse(breached.breachedAt)).toBeLessThan(3_000);
    const events = await metricEvents(created.id, 'breached');
    expect(events.map((e) => new Date(e.at).toISOString())).toEqual([breached.breachedAt]);
    expect((await ticket(created.id)).slaState).toBe('breached');
    breachedId = created.id;

    // A second ticket whose deadline passed while Redis lost its timer: two breach jobs of the same version run at once.
    const other = ok(await call(acme, 'POST', '/tickets', { subject: 'Lost timer', priority: 'urgent', requester: { email: 'pat@sla.example' } }), 201);
    await settle(other.id, 'a deadline', (x) => x.slaBreachAt !== null);
    await db.query(`UPDATE ticket_events SET created_at = created_at - interval '61 minutes' WHERE ticket_id = $1`, [other.id]);
    const { rows } = await db.query(`UPDATE ticket_sla_targets SET deadline = deadline - interval '61 minutes' WHERE ticket_id = $1 AND metric = 'first_reply' RETURNING deadline_version`, [other.id]);
    const payload = { tenantId: acme.tenant.id, ticketId: other.id, metric: 'first_reply', version: rows[0].deadline_version };
    const jobs = await Promise.all([queue.add('tickets.sla-breach', payload), queue.add('tickets.sla-breach', payload)]);
    await waitFor(async () => (await Promise.all(jobs.map((j) => j.getState()))).every((s) => s === 'completed'), 'both breach jobs');
    expect(await metricEvents(other.id, 'breached')).toHaveLength(1);
    const history = ok(await call(acme, 'GET', `/tickets/${other.id}/history?limit=100`));
    expect(history.data.filter((h: any) => h.action === 'ticket.sla_breached')).toHaveLength(1);
    await console_.next('ticket.sla_breached', (d) => d.ticketId === other.id);
    await new Promise((r) => setTimeout(r, 300));
    expect(console_.received.filter((r) => r.event === 'ticket.sla_breached' && r.data.ticketId === other.id)).toHaveLength(1);
  });

  it('applies a policy edit to open tickets, sorts by slaBreachAt and filters by SLA state in lists and saved views', async () => {
    const low = ok(await call(acme, 'POST', '/sla-policies', { name: 'Low', position: 5, conditions: { priorities: ['low'] }, targets: { low: { first_reply: 100 } }, businessHours: false }, 'admin'), 201);
    const tickets = [];
    for (const subject of ['One', 'Two', 'Three']) tickets.push(ok(await call(acme, 'POST', '/tickets', { subject, priority: 'low', tags: ['sla-sort'], requester: { email: 'pat@sla.example' } }), 201));
    for (const t of tickets) await settle(t.id, 'a deadline', (x) => offset(x, t.createdAt) === 100);

    ok(await call(acme, 'PATCH', `/sla-policies/${low.id}`, { targets: { low: { first_reply: 200 } } }, 'admin'));
    for (const t of tickets) await settle(t.id, 'the edited target', (x) => offset(x, t.createdAt) === 200);
    expect(await metricEvents(tickets[0].id, 'policy_changed')).toEqual([expect.objectContaining({ metric: 'first_reply', policy_version: 2 })]);

    // A fourth ticket of the tag with no SLA sorts last; pages of two walk the keyset.
    const plain = ok(await call(acme, 'POST', '/tickets', { subject: 'No SLA', priority: 'high', tags: ['sla-sort'], requester: { email: 'pat@sla.example' } }), 201);
    const first = ok(await call(acme, 'GET', '/tickets?tag=sla-sort&sort=slaBreachAt&order=asc&limit=2'));
    const second = ok(await call(acme, 'GET', `/tickets?tag=sla-sort&sort=slaBreachAt&order=asc&limit=2&cursor=${first.nextCursor}`));
    expect([...first.data, ...second.data].map((t: any) => t.id)).toEqual([...tickets.map((t) => t.id), plain.id]);
    expect(second.nextCursor).toBeNull();

    const breached = ok(await call(acme, 'GET', '/tickets?slaState=breached&limit=100')).data.map((t: any) => t.id);
    expect(breached).toContain(breachedId);
    expect(breached).not.toContain(tickets[0].id);
    expect(ok(await call(acme, 'GET', '/tickets?slaState=active&tag=sla-sort')).data).toHaveLength(3);
    expect(ok(await call(acme, 'GET', '/tickets?slaState=none&tag=sla-sort')).data.map((t: any) => t.id)).toEqual([plain.id]);
    expect((await call(acme, 'GET', '/tickets?slaState=late')).status).toBe(400);
    expect(ok(await call(globex, 'GET', '/tickets?slaState=breached')).data).toEqual([]);

    const view = ok(await call(acme, 'POST', '/views', { name: 'Breached first', filter: { slaState: 'breached' }, sort: 'slaBreachAt', order: 'asc' }), 201);
    expect(ok(await call(acme, 'GET', `/views/${view.id}/tickets`)).data.map((t: any) => t.id)).toContain(breachedId);
    expect((await call(globex, 'GET', `/views/${view.id}/tickets`)).status).toBe(404);
  });

  it('recomputes when a custom field or the requester’s organization decides the policy', async () => {
    ok(await call(acme, 'POST', '/ticket-fields', { key: 'tier', label: 'Tier', type: 'dropdown', options: [{ value: 'gold', label: 'Gold' }, { value: 'basic', label: 'Basic' }] }, 'admin'), 201);
    const org = ok(await call(acme, 'POST', '/organizations', { name: 'Tiered Ltd' }), 201);
    ok(await call(acme, 'POST', '/contacts', { name: 'Tia', emails: ['tia@tiered.example'], organizationId: org.id }), 201);
    ok(await call(acme, 'POST', '/sla-policies', { name: 'Gold tier', position: 1, conditions: { fields: [{ key: 'tier', op: 'eq', value: 'gold' }] }, targets: { urgent: { first_reply: 15 } }, businessHours: false }, 'admin'), 201);
    ok(await call(acme, 'POST', '/sla-policies', { name: 'Tiered Ltd', position: 2, conditions: { organizationIds: [org.id] }, targets: { urgent: { first_reply: 30 } }, businessHours: false }, 'admin'), 201);
    const created = ok(await call(acme, 'POST', '/tickets', { subject: 'Tiered', priority: 'urgent', requester: { email: 'tia@tiered.example' } }), 201);
    await settle(created.id, 'the organization policy', (x) => offset(x, created.createdAt) === 30);
    await patch(created.id, { fields: { tier: 'gold' } });
    await settle(created.id, 'the custom field policy', (x) => offset(x, created.createdAt) === 15);
  });
});
