import { randomBytes } from 'node:crypto';
import { adminHeaders, startApi, type RunningApi } from '../support/processes';
import { createTwoTenants, type TenantSession } from '../support/tenants';
import { asTenantRole, client, expectProblem, expectStatus } from '../support/http';

/** Other files share the run's database, so platform-wide numbers are compared as "at least moved by"; per-tenant ones exactly. */
describe('operator statistics: GET /v1/admin/stats', () => {
  let api: RunningApi;
  let c: ReturnType<typeof client>;
  let acme: TenantSession;
  let globex: TenantSession;

  beforeAll(async () => {
    api = await startApi();
    c = client(api.url);
    [acme, globex] = await createTwoTenants(api.url);
  });
  afterAll(async () => {
    await api?.stop();
  });

  const stats = async () => expectStatus(await c.get('/v1/admin/stats', adminHeaders()), 200);
  const today = (body: any) => body.sections.activity.days.at(-1);

  it('answers in a stable shape: 30 UTC days ending today, every registered queue, every section', async () => {
    const body = await stats();
    expect(Object.keys(body).sort()).toEqual(['generatedAt', 'queues', 'sections', 'unavailable', 'window']);
    // A queue whose counts a loaded machine's Redis did not give within 1 s is named, not failed.
    expect(body.unavailable.filter((name: string) => !name.startsWith('queues.'))).toEqual([]);
    expect(body.window).toMatchObject({ days: 30, top: 50 });
    expect(Object.keys(body.sections).sort()).toEqual(['activity', 'aiSpend', 'storage', 'tenants', 'users']);
    expect(body.sections.activity.days).toHaveLength(30);
    expect(today(body).day).toBe(new Date().toISOString().slice(0, 10));
    expect(body.sections.tenants.byStatus.active).toBeGreaterThanOrEqual(2);
    expect(body.sections.tenants.total).toBe(Object.values(body.sections.tenants.byStatus as Record<string, number>).reduce((a, b) => a + b, 0));
    expect(body.sections.users.total).toBeGreaterThanOrEqual(10);
    expect(body.sections.aiSpend).toMatchObject({ month: `${new Date().toISOString().slice(0, 7)}-01`, calls: expect.any(Number), costMicros: expect.any(Number) });
    expect(body.sections.aiSpend.byTenant.length).toBeLessThanOrEqual(50);
    const names = [...body.queues.map((q: { name: string }) => q.name), ...body.unavailable.map((n: string) => n.slice('queues.'.length))];
    expect(names).toEqual(expect.arrayContaining(['outbox', 'webhooks']));
    for (const queue of body.queues) {
      expect(queue).toEqual({ name: expect.any(String), waiting: expect.any(Number), active: expect.any(Number), delayed: expect.any(Number), failed: expect.any(Number), oldestWaitingAgeSeconds: queue.waiting > 0 ? expect.any(Number) : null });
    }
  });

  it('moves when tickets and messages are created, and counts each tenant’s attachment bytes apart', async () => {
    const before = await stats();
    const ticket = expectStatus(await c.post('/v1/tickets', { subject: 'Counted', requester: { email: 'counted@example.com' } }, acme.headers('agent')), 201);
    expectStatus(await c.post('/v1/tickets', { subject: 'Counted too', requester: { email: 'counted@example.com' } }, globex.headers('agent')), 201);
    expectStatus(await c.post(`/v1/tickets/${ticket.id}/messages`, { body: 'A counted reply' }, acme.headers('agent')), 201);
    // Large enough to rank among the top tenants whatever other files of the run uploaded.
    const file = Buffer.from(`${randomBytes(16).toString('hex')}\n`.repeat(8 * 1024));
    const form = new FormData();
    form.append('file', new Blob([file], { type: 'text/plain' }), 'export.txt');
    const upload = await fetch(`${api.url}/v1/tickets/${ticket.id}/attachments`, { method: 'POST', headers: { authorization: acme.headers('agent').authorization! }, body: form });
    expect(upload.status).toBe(201);

    const after = await stats();
    expect(today(after).tickets).toBeGreaterThanOrEqual(today(before).tickets + 2);
    expect(today(after).messages).toBeGreaterThanOrEqual(today(before).messages + 1);
    expect(after.sections.activity.ticketsCreated).toBeGreaterThanOrEqual(before.sections.activity.ticketsCreated + 2);
    const storage = after.sections.storage.byTenant as { tenantId: string; files: number; bytes: number }[];
    expect(storage.find((s) => s.tenantId === acme.tenant.id)).toEqual({ tenantId: acme.tenant.id, files: 1, bytes: file.length });
    expect(storage.find((s) => s.tenantId === globex.tenant.id)).toBeUndefined();
    expect(after.sections.storage.bytes).toBeGreaterThanOrEqual(before.sections.storage.bytes + file.length);

    // Removing files lowers the total in the same transaction, as the application role under row-level security.
    const usage = await asTenantRole(acme.tenant.id, async (db) => {
      await db.query(`DELETE FROM ticket_attachments WHERE tenant_id = $1`, [acme.tenant.id]);
      return (await db.query(`SELECT tenant_id, files::int, bytes::int FROM ticket_attachment_usage`)).rows;
    });
    expect(usage).toEqual([{ tenant_id: acme.tenant.id, files: 0, bytes: 0 }]);
  });

  it('is for the platform admin only: a tenant credential gets 403, no credential 401', async () => {
    expectProblem(await c.get('/v1/admin/stats', acme.headers('owner')), 403);
    expectProblem(await c.get('/v1/admin/stats', { authorization: `Bearer ${acme.apiKeys.full}` }), 403);
    expectProblem(await c.get('/v1/admin/stats'), 401);
  });
});
