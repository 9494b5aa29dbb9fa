import { adminHeaders, startApi, type RunningApi } from '../support/processes';
import { createTenant, type TenantSession } from '../support/tenants';
import { asTenantRole, client, expectProblem, expectStatus, RANDOM_UUID } from '../support/http';

const FLAG = 'tickets.learn-contact-language';
const SYSTEM_TENANT_ID = '00000000-0000-0000-0000-000000000000';

/**
 * Feature flags through the operators' API and `GET /v1/me`. The rules table is shared by every
 * e2e file of a run, so this file only sets rules that leave other tenants' answer at the flag's
 * default (on): overrides for its own tenants, a 100 % rollout, an expired rule.
 */
describe('feature flags', () => {
  let api: RunningApi;
  let c: ReturnType<typeof client>;
  let a: TenantSession;
  let b: TenantSession;

  beforeAll(async () => {
    api = await startApi();
    c = client(api.url);
    [a, b] = await Promise.all([createTenant(api.url, 'flags-a'), createTenant(api.url, 'flags-b')]);
  });
  afterAll(async () => {
    await c?.delete(`/v1/admin/feature-flags/${FLAG}`, adminHeaders());
    await api?.stop();
  });

  const me = async (t: TenantSession, role: 'agent' | 'owner' = 'agent') => expectStatus(await c.get('/v1/me', t.headers(role)), 200).flags;
  const evaluate = async (tenantId: string) => expectStatus(await c.get(`/v1/admin/feature-flags/${FLAG}/evaluate?tenantId=${tenantId}`, adminHeaders()), 200);
  const put = (body: unknown, extra: Record<string, string> = {}) => c.put(`/v1/admin/feature-flags/${FLAG}`, body, adminHeaders(extra));

  it('lists the flags contexts declare, and every caller sees its answers in /v1/me', async () => {
    const list = expectStatus(await c.get('/v1/admin/feature-flags', adminHeaders()), 200);
    expect(list.data).toContainEqual(expect.objectContaining({ name: FLAG, context: 'tickets', default: true }));
    expect((await me(a))[FLAG]).toBe(true);
    const keyMe = expectStatus(await c.get('/v1/me', { authorization: `Bearer ${a.apiKeys.readOnly}` }), 200);
    expect(keyMe.flags[FLAG]).toBe(true);
  });

  it('a per-tenant override changes that tenant only, at once, audited in the platform log', async () => {
    const saved = await put({ kind: 'boolean', enabled: true, tenantOverrides: { [a.tenant.id]: false } }, { 'if-match': 'W/"0"' });
    const body = expectStatus(saved, 200);
    expect(body.rule).toMatchObject({ kind: 'boolean', enabled: true, tenantOverrides: { [a.tenant.id]: false }, expired: false });
    const etag = saved.headers.get('etag');
    expect(etag).toBe(`W/"${body.rule.version}"`);

    expect((await me(a))[FLAG]).toBe(false);
    expect((await me(b))[FLAG]).toBe(true);
    expect(await evaluate(a.tenant.id)).toEqual({ enabled: false, reason: 'tenant_override' });
    expect(await evaluate(b.tenant.id)).toEqual({ enabled: true, reason: 'on' });

    // A stale If-Match loses.
    expectProblem(await put({ kind: 'boolean', enabled: true }, { 'if-match': 'W/"0"' }), 412);

    const audit = await asTenantRole(SYSTEM_TENANT_ID, async (db) => (await db.query(`SELECT action, actor_type, changes FROM audit_logs WHERE entity_type = 'feature_flag' AND entity_id = $1 ORDER BY created_at`, [FLAG])).rows);
    expect(audit.map((r) => r.action)).toContain('feature_flag.created');
    expect(audit[audit.length - 1]).toMatchObject({ actor_type: 'platform_admin' });
    expect(JSON.stringify(audit)).toContain(a.tenant.id);
  });

  it('a percentage rollout answers by stable hash; an expired rule answers the default; deleting returns to it', async () => {
    expectStatus(await put({ kind: 'percentage', enabled: true, percentage: 100 }), 200);
    expect(await evaluate(a.tenant.id)).toEqual({ enabled: true, reason: 'rollout_in' });
    expect((await me(a))[FLAG]).toBe(true);

    expectStatus(await put({ kind: 'boolean', enabled: true, tenantOverrides: { [b.tenant.id]: false }, expiresAt: '2020-01-01T00:00:00Z' }), 200);
    expect(await evaluate(b.tenant.id)).toEqual({ enabled: true, reason: 'expired' });
    const listed = expectStatus(await c.get(`/v1/admin/feature-flags/${FLAG}`, adminHeaders()), 200);
    expect(listed.rule.expired).toBe(true);

    expect((await c.delete(`/v1/admin/feature-flags/${FLAG}`, adminHeaders())).status).toBe(204);
    expect(expectStatus(await c.get(`/v1/admin/feature-flags/${FLAG}`, adminHeaders()), 200).rule).toBeNull();
    expect(await evaluate(b.tenant.id)).toEqual({ enabled: true, reason: 'default' });
    expectProblem(await c.delete(`/v1/admin/feature-flags/${FLAG}`, adminHeaders()), 404);
  });

  it('a plan rule follows each tenant’s plan, and changes with it', async () => {
    // Tenants of other files stay on the default plan (business), which this rule keeps on.
    const plan = async (t: TenantSession, code: string) => expectStatus(await c.put(`/v1/admin/tenants/${t.tenant.id}/subscription`, { plan: code }, adminHeaders()), 200);
    await plan(a, 'free');
    const saved = expectStatus(await put({ kind: 'plan', enabled: true, plans: ['team', 'business', 'team'] }), 200);
    expect(saved.rule).toMatchObject({ kind: 'plan', plans: ['team', 'business'] });
    expect(await evaluate(a.tenant.id)).toEqual({ enabled: false, reason: 'not_on_plan' });
    expect(await evaluate(b.tenant.id)).toEqual({ enabled: true, reason: 'plan' });
    expect((await me(a))[FLAG]).toBe(false);
    expect((await me(b))[FLAG]).toBe(true);

    // An upgrade is seen at once (the plan cache is dropped on the change).
    await plan(a, 'team');
    expect((await me(a))[FLAG]).toBe(true);

    // A plan rule names plans that exist; a refused save changes nothing.
    const unknown = expectProblem(await put({ kind: 'plan', enabled: true, plans: ['platinum'] }), 422);
    expect(unknown.detail).toContain('"platinum"');
    expectProblem(await put({ kind: 'plan', enabled: true }), 422);
    expectProblem(await put({ kind: 'plan', enabled: true, plans: ['Team!'] }), 400);
    expect(expectStatus(await c.get(`/v1/admin/feature-flags/${FLAG}`, adminHeaders()), 200).rule.plans).toEqual(['team', 'business']);
    expect((await c.delete(`/v1/admin/feature-flags/${FLAG}`, adminHeaders())).status).toBe(204);
  });

  it('answers bad input with problem+json and changes nothing; tenants cannot reach the admin API', async () => {
    const unknown = expectProblem(await c.put('/v1/admin/feature-flags/tickets.no-such-flag', { kind: 'boolean', enabled: true }, adminHeaders()), 404);
    expect(unknown.detail).toContain('tickets.no-such-flag');
    expect(expectProblem(await c.delete('/v1/admin/feature-flags/tickets.no-such-flag', adminHeaders()), 404).detail).toContain('No registered context declares');
    expectProblem(await c.get(`/v1/admin/feature-flags/${encodeURIComponent("x'; DROP TABLE feature_flags;--")}`, adminHeaders()), 404);
    const bad = [
      { kind: 'sometimes', enabled: true },
      { kind: 'percentage', enabled: true, percentage: 100.5 },
      { kind: 'percentage', enabled: true, percentage: 12.345 },
      { kind: 'boolean', enabled: 'yes' },
      { kind: 'allow_list', enabled: true, allowTenants: ['not-a-uuid'] },
      { kind: 'boolean', enabled: true, tenantOverrides: { 'not-a-uuid': true } },
      { kind: 'boolean', enabled: true, tenantOverrides: { [RANDOM_UUID]: 'on' } },
      { kind: 'boolean', enabled: true, tenantOverrides: [true] },
      { kind: 'boolean', enabled: true, expiresAt: 'tomorrow' },
      { kind: 'allow_list', enabled: true, allowUsers: Array.from({ length: 1001 }, () => RANDOM_UUID) },
    ];
    for (const body of bad) expectProblem(await put(body), 400);
    expectProblem(await c.get(`/v1/admin/feature-flags/${FLAG}/evaluate?tenantId=nope`, adminHeaders()), 400);
    expect(expectStatus(await c.get(`/v1/admin/feature-flags/${FLAG}`, adminHeaders()), 200).rule).toBeNull();

    expectProblem(await c.get('/v1/admin/feature-flags', a.headers('owner')), 403);
    expectProblem(await c.put(`/v1/admin/feature-flags/${FLAG}`, { kind: 'boolean', enabled: false }, a.headers('owner')), 403);
  });
});
