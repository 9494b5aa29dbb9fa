import { asTenantRole, RANDOM_UUID } from '../support/http';
import { startApi, type RunningApi } from '../support/processes';
import { createTwoTenants, type TenantSession } from '../support/tenants';

type Role = 'owner' | 'admin' | 'agent' | 'viewer';

/** Custom statuses: a tenant's own names on the six base categories; the lifecycle, lists and views keep working on the categories. */
describe('custom ticket statuses', () => {
  let api: RunningApi;
  let acme: TenantSession;
  let globex: TenantSession;

  beforeAll(async () => {
    api = await startApi();
    [acme, globex] = await createTwoTenants(api.url);
  });
  afterAll(async () => {
    await api?.stop();
  });

  async function call(tenant: TenantSession, method: string, path: string, body?: unknown, role: Role = 'admin', extra: Record<string, string> = {}) {
    const res = await fetch(`${api.url}/v1${path}`, { method, headers: tenant.headers(role, extra), body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
  }
  const patch = async (tenant: TenantSession, id: string, body: Record<string, unknown>) => {
    const current = await call(tenant, 'GET', `/tickets/${id}`, undefined, 'agent');
    return call(tenant, 'PATCH', `/tickets/${id}`, body, 'agent', { 'if-match': `W/"${current.body.version}"` });
  };

  it('sets a ticket’s custom status, whose category is its status, under the lifecycle rules', async () => {
    const vendor = await call(acme, 'POST', '/ticket-statuses', { category: 'pending', agentLabel: ' Waiting on vendor ', endUserLabel: 'In progress', position: 1 });
    expect(vendor.status).toBe(201);
    expect(vendor.body).toMatchObject({ category: 'pending', agentLabel: 'Waiting on vendor', endUserLabel: 'In progress', active: true, version: 1 });
    const parts = (await call(acme, 'POST', '/ticket-statuses', { category: 'on_hold', agentLabel: 'Parts ordered' })).body;
    const archived = (await call(acme, 'POST', '/ticket-statuses', { category: 'closed', agentLabel: 'Archived' })).body;
    expect((await call(acme, 'POST', '/ticket-statuses', { category: 'open', agentLabel: 'waiting ON VENDOR' })).status).toBe(409);
    expect((await call(acme, 'POST', '/ticket-statuses', { category: 'open', agentLabel: 'Mine' }, 'agent')).status).toBe(403);
    const catalog = await call(acme, 'GET', '/ticket-statuses', undefined, 'viewer');
    expect(catalog.body.data.map((s: { agentLabel: string }) => s.agentLabel)).toEqual(['Waiting on vendor', 'Parts ordered', 'Archived']);
    expect(catalog.body.defaults).toContainEqual({ category: 'on_hold', label: 'On hold' });

    const ticket = (await call(acme, 'POST', '/tickets', { subject: 'Pump broken', requester: { email: 'pat@customer.example' } })).body;
    const waiting = await patch(acme, ticket.id, { customStatusId: vendor.body.id });
    expect(waiting.status).toBe(200);
    expect(waiting.body).toMatchObject({ status: 'pending', customStatusId: vendor.body.id });
    // Both given must agree; the category's lifecycle applies (closed only from solved).
    const disagree = await patch(acme, ticket.id, { status: 'open', customStatusId: parts.id });
    expect([disagree.status, disagree.body.errors?.[0]?.field]).toEqual([422, 'customStatusId']);
    const tooSoon = await patch(acme, ticket.id, { customStatusId: archived.id });
    expect([tooSoon.status, tooSoon.body.type]).toEqual([422, expect.stringContaining('invalid-transition')]);
    // Moving to another category alone takes that category's default.
    const held = await patch(acme, ticket.id, { customStatusId: parts.id });
    expect(held.body).toMatchObject({ status: 'on_hold', customStatusId: parts.id });
    const opened = await patch(acme, ticket.id, { status: 'open' });
    expect(opened.body).toMatchObject({ status: 'open', customStatusId: null });
    await patch(acme, ticket.id, { customStatusId: vendor.body.id });
    // A requester's reply reopens a pending ticket: the custom status named the old category.
    const reply = await call(acme, 'POST', `/tickets/${ticket.id}/messages`, { body: 'Any news?', author: 'requester', visibility: 'public' }, 'agent');
    expect(reply.status).toBe(201);
    expect((await call(acme, 'GET', `/tickets/${ticket.id}`, undefined, 'agent')).body).toMatchObject({ status: 'open', customStatusId: null });

    const history = await call(acme, 'GET', `/tickets/${ticket.id}/history`, undefined, 'agent');
    expect(JSON.stringify(history.body.data)).toContain(vendor.body.id);
  });

  it('lists and counts tickets by custom status, keeps deactivated ones on their tickets, and deletes only unused ones', async () => {
    const review = (await call(acme, 'POST', '/ticket-statuses', { category: 'open', agentLabel: 'In review' })).body;
    const a = (await call(acme, 'POST', '/tickets', { subject: 'Review me', requester: { email: 'pat@customer.example' } })).body;
    const b = (await call(acme, 'POST', '/tickets', { subject: 'Not me', requester: { email: 'pat@customer.example' } })).body;
    await patch(acme, a.id, { customStatusId: review.id });
    await patch(acme, b.id, { status: 'open' });
    const listed = await call(acme, 'GET', `/tickets?customStatusId=${review.id}&status=open`, undefined, 'agent');
    expect(listed.body.data.map((t: { id: string }) => t.id)).toEqual([a.id]);
    const view = (await call(acme, 'POST', '/views', { name: 'In review', scope: 'shared', filter: { customStatusId: review.id } })).body;
    expect((await call(acme, 'GET', `/views/counts?ids=${view.id}`, undefined, 'agent')).body.data).toEqual([{ viewId: view.id, count: 1, capped: false }]);

    expect((await call(acme, 'PATCH', `/ticket-statuses/${review.id}`, { category: 'pending' })).status).toBe(422);
    const off = await call(acme, 'PATCH', `/ticket-statuses/${review.id}`, { active: false }, 'admin', { 'if-match': 'W/"1"' });
    expect(off.body).toMatchObject({ active: false, version: 2 });
    const refused = await patch(acme, b.id, { customStatusId: review.id });
    expect([refused.status, refused.body.detail]).toEqual([422, expect.stringMatching(/deactivated/)]);
    expect((await call(acme, 'GET', `/tickets/${a.id}`, undefined, 'agent')).body.customStatusId).toBe(review.id);

    const inUse = await call(acme, 'DELETE', `/ticket-statuses/${review.id}`);
    expect([inUse.status, inUse.body.tickets]).toEqual([409, 1]);
    await patch(acme, a.id, { customStatusId: null });
    expect((await call(acme, 'DELETE', `/ticket-statuses/${review.id}`)).status).toBe(204);
    expect((await call(acme, 'GET', `/ticket-statuses/${review.id}`, undefined, 'agent')).status).toBe(404);
    const audit = await call(acme, 'GET', `/audit-logs?entityId=${review.id}`, undefined, 'owner');
    expect(audit.body.data.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['ticket_status.created', 'ticket_status.updated', 'ticket_status.deleted']));
  });

  it('refuses bad statuses with a problem naming the field', async () => {
    for (const [body, field] of [
      [{ agentLabel: 'No category' }, 'category'],
      [{ category: 'sleeping', agentLabel: 'Zzz' }, 'category'],
      [{ category: 'open', agentLabel: '' }, 'agentLabel'],
      [{ category: 'open', agentLabel: 'x'.repeat(61) }, 'agentLabel'],
      [{ category: 'open', agentLabel: 'Fine', position: -1 }, 'position'],
      [{ category: 'open', agentLabel: 'Fine', color: 'red' }, 'color'],
    ] as const) {
      const res = await call(acme, 'POST', '/ticket-statuses', body);
      expect([res.status, res.body.errors?.map((e: { field: string }) => e.field)]).toEqual([400, expect.arrayContaining([field])]);
    }
    const ticket = (await call(acme, 'POST', '/tickets', { subject: 'x', requester: { email: 'pat@customer.example' } })).body;
    expect((await patch(acme, ticket.id, { customStatusId: 'not-a-uuid' })).status).toBe(400);
    expect((await patch(acme, ticket.id, { customStatusId: RANDOM_UUID })).status).toBe(422);
  });

  it('answers another tenant’s status ids with 404 and refuses them on its tickets', async () => {
    const mine = (await call(acme, 'POST', '/ticket-statuses', { category: 'pending', agentLabel: 'Acme only' })).body;
    for (const [method, path, body] of [
      ['GET', `/ticket-statuses/${mine.id}`, undefined],
      ['PATCH', `/ticket-statuses/${mine.id}`, { agentLabel: 'Taken' }],
      ['DELETE', `/ticket-statuses/${mine.id}`, undefined],
    ] as const) {
      expect((await call(globex, method, path, body, 'owner')).status).toBe(404);
    }
    const theirs = (await call(globex, 'POST', '/tickets', { subject: 'Globex', requester: { email: 'sam@globex.example' } })).body;
    const borrowed = await patch(globex, theirs.id, { customStatusId: mine.id });
    expect([borrowed.status, borrowed.body.errors?.[0]?.field]).toEqual([422, 'customStatusId']);
    expect((await call(globex, 'GET', '/ticket-statuses', undefined, 'owner')).body.data).toEqual([]);
    const seen = await asTenantRole(globex.tenant.id, async (db) => (await db.query(`SELECT count(*)::int AS n FROM ticket_statuses WHERE tenant_id = $1`, [acme.tenant.id])).rows[0].n);
    expect(seen).toBe(0);
  });
});
