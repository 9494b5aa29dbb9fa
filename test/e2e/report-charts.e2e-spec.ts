import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { client, expectProblem, expectStatus, PROBLEM } from '../support/http';
import { startApi, startWorker, waitFor, type RunningApi, QUEUE_PREFIX } from '../support/processes';
import { createTwoTenants, type TenantSession } from '../support/tenants';

interface Mail {
  to: string;
  subject: string;
  text: string;
  html?: string;
  attachments?: { filename: string; contentType: string; content: string }[];
}

/** What the worker mailed to one address (the development mailer appends to DATA_DIR/mail/outbox.jsonl). */
function mailTo(address: string): Mail[] {
  const file = join(process.env.E2E_DATA_DIR!, 'mail', 'outbox.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Mail)
    .filter((m) => m.to === address);
}

/** The Monday of the week `day` (YYYY-MM-DD) falls in. */
function mondayOf(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}

/**
 * Report charts as SVG (`GET /v1/reports/{report}/chart.svg`) drawn from the worker's rollups, and
 * the weekly digest mail: figures, chart attachment, once per tenant and week, off when the tenant
 * says so. Two tenants: neither sees the other's figures.
 */
describe('report charts and the weekly digest', () => {
  let api: RunningApi;
  let worker: Awaited<ReturnType<typeof startWorker>>;
  let acme: TenantSession;
  let globex: TenantSession;
  let c: ReturnType<typeof client>;
  let queue: Queue;

  const createTicket = async (t: TenantSession, subject: string) =>
    expectStatus(await c.post('/v1/tickets', { subject, requester: { email: `pat.${Math.random().toString(36).slice(2, 8)}@customer.example` } }, t.headers('agent')), 201);
  const volume = async (t: TenantSession) => expectStatus(await c.get('/v1/reports/volume', t.headers('owner')), 200);
  const created = (report: any): number => report.series.find((s: any) => s.key === 'created').points.reduce((sum: number, p: any) => sum + (p.value ?? 0), 0);
  const waitForCreated = (t: TenantSession, count: number) => waitFor(async () => created(await volume(t)) >= count, `${count} tickets in the volume report`, 60_000);

  beforeAll(async () => {
    api = await startApi();
    worker = await startWorker({ OUTBOX_POLL_MS: '50' });
    c = client(api.url);
    [acme, globex] = await createTwoTenants(api.url);
    queue = new Queue('report-digest', { connection: { url: process.env.E2E_REDIS_URL!, maxRetriesPerRequest: null }, prefix: QUEUE_PREFIX });
    for (const subject of ['Boiler knocks', 'Printer on fire', 'Password reset <urgent>']) await createTicket(acme, subject);
    await waitForCreated(acme, 3);
  });
  afterAll(async () => {
    await queue?.close();
    await worker?.stop();
    await api?.stop();
  });

  it('draws the report as a self-contained SVG with its series, units and days', async () => {
    const report = await volume(acme);
    const res = await c.get('/v1/reports/volume/chart.svg', acme.headers('owner'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('private, max-age=60');
    const svg = res.text;
    expect(svg.startsWith('<svg')).toBe(true);
    for (const series of report.series) expect(svg).toContain(`>${series.label}<`);
    expect(svg).toContain('>Count<');
    expect(svg).toContain(`(${report.timeZone})`);
    // Today's bar carries the count the report gives.
    const today = report.series.find((s: any) => s.key === 'created').points.at(-1);
    expect(svg).toMatch(new RegExp(`aria-label="[^"]*Count: ${today.value}; [^"]*Period: ${today.period}`));
    expect(svg).not.toMatch(/<script|<foreignObject|@import|url\(/i);
    expect(svg).not.toMatch(/\s(?:href|xlink:href|src)="/);
  });

  it('answers 304 to the same figures and a new ETag once a ticket changes them', async () => {
    const first = await c.get('/v1/reports/backlog/chart.svg?width=400&height=200', acme.headers('owner'));
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]{32}"$/);
    const again = await c.get('/v1/reports/backlog/chart.svg?width=400&height=200', acme.headers('owner', { 'if-none-match': etag }));
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    // Another size is another picture.
    expect((await c.get('/v1/reports/backlog/chart.svg?width=500&height=200', acme.headers('owner', { 'if-none-match': etag }))).status).toBe(200);

    await createTicket(acme, 'Heating off in the office');
    await waitForCreated(acme, 4);
    const changed = await c.get('/v1/reports/backlog/chart.svg?width=400&height=200', acme.headers('owner', { 'if-none-match': etag }));
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
  });

  it('draws the other reports as lines with their units', async () => {
    for (const [report, unit] of [['response-times', 'Minutes'], ['csat', 'Percent (%)'], ['sla', 'Count']] as const) {
      const res = await c.get(`/v1/reports/${report}/chart.svg?interval=week`, acme.headers('admin'));
      expect(res.status).toBe(200);
      expect(res.text).toContain(`>${unit}<`);
    }
  });

  it('answers bad sizes, bad queries and unknown reports with problem+json', async () => {
    for (const query of ['width=100', 'width=5000', 'height=50', 'height=abc', 'width=300.5']) {
      const res = await c.get(`/v1/reports/volume/chart.svg?${query}`, acme.headers('owner'));
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(PROBLEM);
    }
    expect(expectProblem(await c.get('/v1/reports/volume/chart.svg?from=yesterday', acme.headers('owner')), 400).detail).toMatch(/from/);
    expectProblem(await c.get('/v1/reports/nonsense/chart.svg', acme.headers('owner')), 404);
    expectProblem(await c.get('/v1/reports/volume/chart.svg', {}), 401);
    // Technicians hold no reports:read.
    expectProblem(await c.get('/v1/reports/volume/chart.svg', acme.headers('technician')), 403);
  });

  it('shows a tenant only its own figures', async () => {
    const theirs = await volume(globex);
    expect(created(theirs)).toBe(0);
    const svg = (await c.get('/v1/reports/volume/chart.svg', globex.headers('owner'))).text;
    expect(svg).not.toMatch(/aria-label="[^"]*Count: [1-9]/);
    // Filtered by a group of the other tenant, a tenant sees none of that group's figures.
    const group = expectStatus(await c.post('/v1/groups', { name: `Support ${Date.now()}` }, acme.headers('owner')), 201);
    expectStatus(await c.post('/v1/tickets', { subject: 'Routed to support', groupId: group.id, requester: { email: 'grouped@customer.example' } }, acme.headers('agent')), 201);
    await waitFor(async () => created(expectStatus(await c.get(`/v1/reports/volume?groupId=${group.id}`, acme.headers('owner')), 200)) === 1, 'the grouped ticket in the group’s report', 60_000);
    expect((await c.get(`/v1/reports/volume/chart.svg?groupId=${group.id}`, acme.headers('owner'))).text).toMatch(/aria-label="[^"]*Count: 1;/);
    const filtered = await c.get(`/v1/reports/volume/chart.svg?groupId=${group.id}`, globex.headers('owner'));
    expect(filtered.status).toBe(200);
    expect(filtered.text).not.toMatch(/aria-label="[^"]*Count: [1-9]/);
  });

  it('turns the weekly digest off and on: owners and admins only', async () => {
    expect(expectStatus(await c.get('/v1/report-digest', acme.headers('viewer')), 200)).toEqual({ weeklyEnabled: true, lastWeekSent: null });
    expectProblem(await c.put('/v1/report-digest', { weeklyEnabled: false }, acme.headers('agent')), 403);
    expectProblem(await c.put('/v1/report-digest', { weeklyEnabled: 'no' }, acme.headers('owner')), 400);
    expectProblem(await c.put('/v1/report-digest', { weeklyEnabled: false, extra: 1 }, acme.headers('owner')), 400);
    expect(expectStatus(await c.put('/v1/report-digest', { weeklyEnabled: false }, globex.headers('admin')), 200)).toMatchObject({ weeklyEnabled: false });
    // One tenant's switch is its own.
    expect(expectStatus(await c.get('/v1/report-digest', acme.headers('owner')), 200).weeklyEnabled).toBe(true);
    expect(expectStatus(await c.get('/v1/report-digest', globex.headers('owner')), 200).weeklyEnabled).toBe(false);
  });

  it('mails the week’s figures and the volume chart to owners and admins, once per week', async () => {
    const report = await volume(acme);
    const weekStart = mondayOf(report.to);
    const expectedCreated = report.series.find((s: any) => s.key === 'created').points.filter((p: any) => p.period >= weekStart).reduce((sum: number, p: any) => sum + (p.value ?? 0), 0);
    expect(expectedCreated).toBeGreaterThanOrEqual(5);
    const job = await queue.add('reporting.send-weekly-digest', { tenantId: acme.tenant.id, weekStart }, { jobId: `weekly-digest:${acme.tenant.id}:${weekStart}` });
    const [ownerMail] = await waitFor(async () => (mailTo(acme.users.owner.email).length > 0 ? mailTo(acme.users.owner.email) : null), 'the digest for the owner', 60_000);
    expect(ownerMail!.subject).toContain(`(${weekStart} – `);
    expect(ownerMail!.text).toMatch(new RegExp(`Tickets created\\s+${expectedCreated}\\n`));
    expect(ownerMail!.text).toMatch(/Open tickets at the end of the week\s+\d+/);
    expect(ownerMail!.text).toMatch(/First reply, 90th percentile\s+(—|\d)/);
    expect(ownerMail!.text).toMatch(/SLA targets (met|breached)\s+/);
    expect(ownerMail!.text).toMatch(/Customer satisfaction\s+—/);
    expect(ownerMail!.html).toContain(`data-figure="created">${expectedCreated}</td>`);
    const [attachment] = ownerMail!.attachments!;
    expect(attachment).toMatchObject({ filename: 'volume.svg', contentType: 'image/svg+xml' });
    expect(attachment!.content.startsWith('<svg')).toBe(true);
    expect(attachment!.content).toContain('>Created<');
    await waitFor(async () => mailTo(acme.users.admin.email).length === 1, 'the digest for the admin');
    expect(mailTo(acme.users.agent.email)).toEqual([]);
    await waitFor(async () => (await job.getState()) === 'completed', 'the digest job to complete');
    expect(expectStatus(await c.get('/v1/report-digest', acme.headers('owner')), 200).lastWeekSent).toBe(weekStart);

    // The same week again (a duplicate job under another id): claimed already, nothing more is sent.
    const again = await queue.add('reporting.send-weekly-digest', { tenantId: acme.tenant.id, weekStart }, { jobId: `weekly-digest-again:${acme.tenant.id}:${weekStart}` });
    await waitFor(async () => (await again.getState()) === 'completed', 'the repeated digest job to complete');
    expect(mailTo(acme.users.owner.email)).toHaveLength(1);
    expect(mailTo(acme.users.admin.email)).toHaveLength(1);

    // A tenant that turned it off gets nothing, and its week stays unsent.
    const off = await queue.add('reporting.send-weekly-digest', { tenantId: globex.tenant.id, weekStart }, { jobId: `weekly-digest:${globex.tenant.id}:${weekStart}` });
    await waitFor(async () => (await off.getState()) === 'completed', 'the turned-off digest job to complete');
    expect(mailTo(globex.users.owner.email)).toEqual([]);
    expect(expectStatus(await c.get('/v1/report-digest', globex.headers('owner')), 200).lastWeekSent).toBeNull();
  });
});
