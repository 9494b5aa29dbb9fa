import { chromium, type Browser, type Page } from 'playwright-core';
import { asTenantRole, RANDOM_UUID } from '../support/http';
import { startApi, type RunningApi } from '../support/processes';
import { readyAgent, type AgentClient } from '../support/sockets';
import { createTwoTenants, PASSWORD, type TenantSession } from '../support/tenants';

type Role = 'owner' | 'admin' | 'agent' | 'viewer';

/** The page's DOM, inside page.waitForFunction callbacks (they run in the browser). */
declare const document: { querySelector(s: string): { textContent: string | null } | null; querySelectorAll(s: string): { length: number } };

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Saved views: personal, group and shared; their tickets a page at a time; many counts in one call; live in the console. */
describe('ticket views', () => {
  let api: RunningApi;
  let acme: TenantSession;
  let globex: TenantSession;
  const sockets: AgentClient[] = [];

  beforeAll(async () => {
    api = await startApi();
    [acme, globex] = await createTwoTenants(api.url);
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await api?.stop();
  });

  async function call(tenant: TenantSession, method: string, path: string, body?: unknown, role: Role = 'admin', extra: Record<string, string> = {}) {
    const res = await fetch(`${api.url}/v1${path}`, { method, headers: tenant.headers(role, extra), body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
  }
  async function withKey(key: string, method: string, path: string, body?: unknown) {
    const res = await fetch(`${api.url}/v1${path}`, { method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }
  const created = async (res: { status: number; body: any }) => {
    if (res.status !== 201) throw new Error(`expected 201, got ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const ticket = async (tenant: TenantSession, body: Record<string, unknown>) => created(await call(tenant, 'POST', '/tickets', { requester: { email: 'pat@customer.example' }, ...body }));
  const view = (tenant: TenantSession, body: Record<string, unknown>, role: Role = 'admin') => call(tenant, 'POST', '/views', body, role);
  const ids = (page: { data: { id: string }[] }) => page.data.map((t) => t.id);

  it('keeps personal views to their owner, group views to the group, shared views for everyone', async () => {
    const agentSocket = await readyAgent(api.url, acme.tokens.agent);
    const adminSocket = await readyAgent(api.url, acme.tokens.admin);
    sockets.push(agentSocket, adminSocket);

    const mine = await view(acme, { name: 'My open work', filter: { assigneeId: 'me', status: ['new', 'open'] } }, 'agent');
    expect(mine.status).toBe(201);
    expect(mine.headers.get('location')).toBe(`/v1/views/${mine.body.id}`);
    expect(mine.headers.get('etag')).toBe('W/"1"');
    expect(mine.body).toMatchObject({ scope: 'personal', ownerId: acme.users.agent.userId, groupId: null, sort: 'createdAt', order: 'desc', version: 1 });
    // Only its owner hears about it, live.
    const announced = await agentSocket.next('view.changed', (e) => e.viewId === mine.body.id);
    expect(announced).toMatchObject({ op: 'created', view: { name: 'My open work' } });
    // Another member does not see it, and cannot change it (a 404, not a 403: it is not theirs to know about).
    expect((await call(acme, 'GET', `/views/${mine.body.id}`, undefined, 'admin')).status).toBe(404);
    expect((await call(acme, 'PATCH', `/views/${mine.body.id}`, { name: 'Hijacked' }, 'admin')).status).toBe(404);

    // Group and shared views are set up by owners and admins.
    const forbidden = await view(acme, { name: 'Everyone', scope: 'shared' }, 'agent');
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const shared = await created(await view(acme, { name: 'Unassigned', scope: 'shared', filter: { assigneeId: 'none' }, position: 1 }));
    await agentSocket.next('view.changed', (e) => e.viewId === shared.id);
    await adminSocket.next('view.changed', (e) => e.viewId === shared.id);
    expect(adminSocket.received.some((r) => r.event === 'view.changed' && r.data.viewId === mine.body.id)).toBe(false);

    const group = await created(await call(acme, 'POST', '/groups', { name: 'Plumbing' }));
    const groupView = await created(await view(acme, { name: 'Plumbing queue', scope: 'group', groupId: group.id, filter: { groupId: group.id } }));
    const names = async (role: Role) => (await call(acme, 'GET', '/views', undefined, role)).body.data.map((v: { name: string }) => v.name);
    expect(await names('agent')).toEqual(['My open work', 'Unassigned']);
    expect(await names('admin')).toEqual(['Plumbing queue', 'Unassigned']);
    expect((await call(acme, 'GET', `/views/${groupView.id}`, undefined, 'agent')).status).toBe(404);
    expect((await call(acme, 'PUT', `/groups/${group.id}/members/${acme.users.agent.userId}`)).status).toBeLessThan(300);
    expect(await names('agent')).toEqual(['My open work', 'Plumbing queue', 'Unassigned']);
    // Members of a group see its view but do not change it.
    expect((await call(acme, 'PATCH', `/views/${groupView.id}`, { name: 'Mine now' }, 'agent')).status).toBe(403);

    const renamed = await call(acme, 'PATCH', `/views/${mine.body.id}`, { name: 'My work', sort: 'updatedAt' }, 'agent', { 'if-match': 'W/"1"' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'My work', sort: 'updatedAt', filter: { assigneeId: 'me', status: ['new', 'open'] }, version: 2 });
    expect((await call(acme, 'PATCH', `/views/${mine.body.id}`, { name: 'Again' }, 'agent', { 'if-match': 'W/"1"' })).status).toBe(412);

    const audit = await call(acme, 'GET', `/audit-logs?entityId=${shared.id}`, undefined, 'owner');
    expect(audit.body.data.map((e: { action: string }) => e.action)).toContain('ticket_view.created');
    expect((await call(acme, 'DELETE', `/views/${mine.body.id}`, undefined, 'agent')).status).toBe(204);
    expect((await call(acme, 'GET', `/views/${mine.body.id}`, undefined, 'agent')).status).toBe(404);
    await agentSocket.next('view.changed', (e) => e.viewId === mine.body.id && e.op === 'deleted');
  });

  it('lists a view’s tickets a page at a time and counts many views in one call', async () => {
    const group = await created(await call(acme, 'POST', '/groups', { name: 'Heating' }));
    for (const member of [acme.users.agent, acme.users.admin]) await call(acme, 'PUT', `/groups/${group.id}/members/${member.userId}`);
    const urgentUnassigned = await ticket(acme, { subject: 'No heat', priority: 'urgent', groupId: group.id });
    const mineA = await ticket(acme, { subject: 'Leak A', assigneeId: acme.users.agent.userId });
    const mineB = await ticket(acme, { subject: 'Leak B', assigneeId: acme.users.agent.userId, type: 'incident' });
    const others = await ticket(acme, { subject: 'Admin’s', assigneeId: acme.users.admin.userId, groupId: group.id });
    const solved = await ticket(acme, { subject: 'Done', assigneeId: acme.users.agent.userId });
    expect((await call(acme, 'PATCH', `/tickets/${solved.id}`, { status: 'solved' }, 'agent', { 'if-match': 'W/"1"' })).status).toBe(200);

    const mine = await created(await view(acme, { name: 'Mine', filter: { assigneeId: 'me', status: ['new', 'open', 'pending'] }, order: 'asc' }, 'agent'));
    const incidents = await created(await view(acme, { name: 'My incidents', filter: { assigneeId: 'me', type: 'incident' } }, 'agent'));
    const heating = await created(await view(acme, { name: 'Heating', scope: 'group', groupId: group.id, filter: { groupId: group.id, status: ['new', 'open'] } }));
    const unassignedUrgent = await created(await view(acme, { name: 'Urgent, nobody on it', scope: 'shared', filter: { assigneeId: 'none', priority: 'urgent' } }));
    const fresh = await created(await view(acme, { name: 'Fresh', filter: { createdWithinHours: 1 } }, 'agent'));
    const stale = await created(await view(acme, { name: 'Stale', filter: { createdOlderThanHours: 1 } }, 'agent'));

    const first = await call(acme, 'GET', `/views/${mine.id}/tickets?limit=1`, undefined, 'agent');
    expect(first.status).toBe(200);
    expect(ids(first.body)).toEqual([mineA.id]);
    const second = await call(acme, 'GET', `/views/${mine.id}/tickets?limit=1&cursor=${first.body.nextCursor}`, undefined, 'agent');
    expect(ids(second.body)).toEqual([mineB.id]);
    expect(second.body.nextCursor).toBeNull();
    // In a shared view, "me" is whoever reads it.
    const minePerMember = await created(await view(acme, { name: 'Assigned to me', scope: 'shared', filter: { assigneeId: 'me' } }));
    expect(ids((await call(acme, 'GET', `/views/${minePerMember.id}/tickets`, undefined, 'admin')).body)).toEqual([others.id]);
    expect(new Set(ids((await call(acme, 'GET', `/views/${minePerMember.id}/tickets`, undefined, 'agent')).body))).toEqual(new Set([mineA.id, mineB.id, solved.id]));
    expect(ids((await call(acme, 'GET', `/views/${heating.id}/tickets`, undefined, 'agent')).body).sort()).toEqual([urgentUnassigned.id, others.id].sort());

    const counts = await call(acme, 'GET', `/views/counts?ids=${[mine.id, incidents.id, heating.id, unassignedUrgent.id, fresh.id, stale.id, RANDOM_UUID, mine.id].join(',')}`, undefined, 'agent');
    expect(counts.status).toBe(200);
    expect(counts.body.data).toEqual([
      { viewId: mine.id, count: 2, capped: false },
      { viewId: incidents.id, count: 1, capped: false },
      { viewId: heating.id, count: 2, capped: false },
      { viewId: unassignedUrgent.id, count: 1, capped: false },
      { viewId: fresh.id, count: 5, capped: false },
      { viewId: stale.id, count: 0, capped: false },
    ]);
    expect(Date.parse(counts.body.countedAt)).not.toBeNaN();

    // An API key has no "me": reading such a view says so; counting leaves it out.
    const byKey = await withKey(acme.apiKeys.readOnly, 'GET', `/views/${minePerMember.id}/tickets`);
    expect(byKey.status).toBe(422);
    expect(byKey.body.detail).toMatch(/me/);
    const keyCounts = await withKey(acme.apiKeys.readOnly, 'GET', `/views/counts?ids=${minePerMember.id},${unassignedUrgent.id},${mine.id}`);
    expect(keyCounts.body.data).toEqual([{ viewId: unassignedUrgent.id, count: 1, capped: false }]);

    // A change shows in the next count.
    expect((await call(acme, 'PATCH', `/tickets/${urgentUnassigned.id}`, { assigneeId: acme.users.agent.userId }, 'agent', { 'if-match': 'W/"1"' })).status).toBe(200);
    const after = await call(acme, 'GET', `/views/counts?ids=${unassignedUrgent.id},${mine.id}`, undefined, 'agent');
    expect(after.body.data).toEqual([
      { viewId: unassignedUrgent.id, count: 0, capped: false },
      { viewId: mine.id, count: 3, capped: false },
    ]);
  });

  it('filters and sorts by custom fields, and says so clearly once such a field is deleted', async () => {
    const plan = await created(await call(acme, 'POST', '/ticket-fields', { key: 'view_plan', label: 'Plan', type: 'dropdown', options: [{ value: 'gold', label: 'Gold' }, { value: 'silver', label: 'Silver' }] }));
    await created(await call(acme, 'POST', '/ticket-fields', { key: 'view_seats', label: 'Seats', type: 'integer' }));
    const big = await ticket(acme, { subject: 'Gold, many seats', fields: { view_plan: 'gold', view_seats: 50 } });
    const small = await ticket(acme, { subject: 'Gold, few seats', fields: { view_plan: 'gold', view_seats: 5 } });
    await ticket(acme, { subject: 'Silver', fields: { view_plan: 'silver', view_seats: 70 } });
    const gold = await created(await view(acme, { name: 'Gold by seats', scope: 'shared', filter: { field: ['view_plan:eq:gold'] }, sort: 'field:view_seats', order: 'desc' }));
    expect(ids((await call(acme, 'GET', `/views/${gold.id}/tickets`, undefined, 'agent')).body)).toEqual([big.id, small.id]);
    expect((await call(acme, 'GET', `/views/counts?ids=${gold.id}`, undefined, 'agent')).body).toMatchObject({ data: [{ viewId: gold.id, count: 2, capped: false }], broken: [] });

    for (const [body, field] of [
      [{ name: 'X', filter: { field: ['nope:eq:1'] } }, 'filter.field'],
      [{ name: 'X', filter: { field: ['view_seats:eq:many'] } }, 'filter.field'],
      [{ name: 'X', sort: 'field:nope' }, 'sort'],
    ] as const) {
      const res = await view(acme, body, 'agent');
      expect([res.status, res.body.errors?.[0]?.field]).toEqual([422, field]);
    }
    // The field is deleted: the view answers why instead of silently showing everything.
    expect((await call(acme, 'DELETE', `/ticket-fields/${plan.id}`)).status).toBe(204);
    const gone = await call(acme, 'GET', `/views/${gold.id}/tickets`, undefined, 'agent');
    expect([gone.status, gone.body.detail]).toEqual([422, expect.stringMatching(/view_plan no longer exists/)]);
    const counts = await call(acme, 'GET', `/views/counts?ids=${gold.id}`, undefined, 'agent');
    expect(counts.body).toMatchObject({ data: [], broken: [{ viewId: gold.id, detail: expect.stringMatching(/view_plan no longer exists/) }] });
  });

  it('refuses bad views with a problem naming the field', async () => {
    const group = await created(await call(globex, 'POST', '/groups', { name: 'Elsewhere' }));
    for (const [body, status, field] of [
      [{}, 400, 'name'],
      [{ name: ' ' }, 400, 'name'],
      [{ name: 'x'.repeat(101) }, 400, 'name'],
      [{ name: 'A', scope: 'everyone' }, 400, 'scope'],
      [{ name: 'A', filter: { assigneeId: 'somebody' } }, 400, 'filter.assigneeId'],
      [{ name: 'A', filter: { status: ['open', 'sleeping'] } }, 400, 'filter.status'],
      [{ name: 'A', filter: { color: 'red' } }, 400, 'filter.color'],
      [{ name: 'A', filter: { createdWithinHours: -3 } }, 400, 'filter.createdWithinHours'],
      [{ name: 'A', filter: 'status=open' }, 400, 'filter'],
      [{ name: 'A', sort: 'subject; DROP TABLE tickets' }, 400, 'sort'],
      [{ name: 'A', scope: 'group' }, 422, 'groupId'],
      [{ name: 'A', scope: 'shared', groupId: group.id }, 422, 'groupId'],
      [{ name: 'A', filter: { groupId: group.id } }, 422, 'filter.groupId'],
      [{ name: 'A', scope: 'group', groupId: group.id }, 422, 'groupId'],
    ] as const) {
      const res = await view(acme, body, 'admin');
      expect([res.status, res.body.errors?.map((e: { field: string }) => e.field)]).toEqual([status, expect.arrayContaining([field])]);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    }
    expect((await call(acme, 'GET', '/views/counts', undefined, 'agent')).status).toBe(400);
    expect((await call(acme, 'GET', '/views/counts?ids=nope', undefined, 'agent')).status).toBe(400);
    const tooMany = Array.from({ length: 51 }, (_, i) => `6f1c1c36-55a4-4f43-9d7c-${String(i).padStart(12, '0')}`).join(',');
    expect((await call(acme, 'GET', `/views/counts?ids=${tooMany}`, undefined, 'agent')).status).toBe(400);
    // A personal view belongs to a member: an API key makes shared ones (with tickets:configure) or none.
    expect((await withKey(acme.apiKeys.full, 'POST', '/views', { name: 'Mine' })).status).toBe(422);
  });

  it('answers another tenant’s view ids with 404 and leaves them out of counts', async () => {
    const acmeView = await created(await view(acme, { name: 'Acme only', scope: 'shared' }));
    for (const [method, path, body] of [
      ['GET', `/views/${acmeView.id}`, undefined],
      ['GET', `/views/${acmeView.id}/tickets`, undefined],
      ['PATCH', `/views/${acmeView.id}`, { name: 'Mine now' }],
      ['DELETE', `/views/${acmeView.id}`, undefined],
    ] as const) {
      expect((await call(globex, method, path, body, 'owner')).status).toBe(404);
    }
    expect((await call(globex, 'GET', `/views/counts?ids=${acmeView.id}`, undefined, 'owner')).body.data).toEqual([]);
    expect((await call(acme, 'GET', `/views/${acmeView.id}`, undefined, 'viewer')).body.name).toBe('Acme only');
    // Row-level security backs it up: the application role pinned to globex sees none of acme's views.
    const seen = await asTenantRole(globex.tenant.id, async (db) => (await db.query(`SELECT count(*)::int AS n FROM ticket_views WHERE tenant_id = $1`, [acme.tenant.id])).rows[0].n);
    expect(seen).toBe(0);
  });

  it('shows the agent’s views with counts in the console sidebar, updated live', async () => {
    let browser: Browser | undefined;
    try {
      browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
      const shared = await created(await view(globex, { name: 'Urgent now', scope: 'shared', filter: { priority: 'urgent', status: ['new', 'open'] } }));
      const page: Page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
      page.on('pageerror', (error) => {
        throw error;
      });
      await page.goto(`${api.url}/console`);
      await page.fill('input[name=email]', globex.users.agent.email);
      await page.fill('input[name=password]', PASSWORD);
      await page.click('button[type=submit]');
      await page.waitForSelector('#connection.live');
      const entry = `#view-list [data-view-id="${shared.id}"]`;
      await page.waitForFunction((sel) => document.querySelector(`${sel} .count`)?.textContent === '0', entry);

      const urgent = await ticket(globex, { subject: 'Flooded basement', priority: 'urgent' });
      await ticket(globex, { subject: 'A question', priority: 'low' });
      await page.waitForFunction((sel) => document.querySelector(`${sel} .count`)?.textContent === '1', entry, { timeout: 15_000 });
      await page.click(entry);
      await page.waitForSelector(`#ticket-list [data-ticket-id="${urgent.id}"]`);
      // The urgent ticket was already listed: wait for the view's list to replace the whole one.
      await page.waitForFunction(() => document.querySelectorAll('#ticket-list [data-ticket-id]').length === 1, undefined, { timeout: 15_000 });
      expect(await page.locator('#ticket-list [data-ticket-id]').count()).toBe(1);

      // A view made elsewhere appears in the sidebar without a reload.
      const later = await created(await view(globex, { name: 'Everything low', scope: 'shared', filter: { priority: 'low' } }));
      await page.waitForFunction((sel) => document.querySelector(`${sel} .count`)?.textContent === '1', `#view-list [data-view-id="${later.id}"]`, { timeout: 15_000 });
    } finally {
      await browser?.close();
    }
  });
});
