import { adminHeaders, startApi, type RunningApi } from '../support/processes';
import { createTenant, type TenantSession } from '../support/tenants';
import { bearer, client, expectProblem, expectStatus } from '../support/http';

type Role = 'owner' | 'admin' | 'agent' | 'technician' | 'viewer';

describe('tenancy: roles, permissions and API key scopes', () => {
  let api: RunningApi;
  let c: ReturnType<typeof client>;
  /** Shared by tests that change nothing. */
  let t: TenantSession;

  beforeAll(async () => {
    api = await startApi({ RATE_LIMIT_AUTH_PER_MINUTE: '1000' });
    c = client(api.url);
    t = await createTenant(api.url, 'permco');
  });
  afterAll(async () => {
    await api?.stop();
  });

  const members = async (s: TenantSession) => expectStatus(await c.get('/v1/members', s.headers('owner')), 200).data as { id: string; email: string; role: Role }[];
  const roleOf = async (s: TenantSession, membershipId: string) => (await members(s)).find((m) => m.id === membershipId)?.role;
  const setRole = (s: TenantSession, as: Role, membershipId: string, role: string) => c.patch(`/v1/members/${membershipId}`, { role }, s.headers(as));

  describe('viewer', () => {
    it('can read members but cannot write anything', async () => {
      expectStatus(await c.get('/v1/members', t.headers('viewer')), 200);
      const body = expectProblem(await c.post('/v1/api-keys', { name: 'nope', scopes: ['tickets:read'] }, t.headers('viewer')), 403, 'forbidden');
      expect(body.requiredPermission).toBe('api-keys:manage');
      expectProblem(await setRole(t, 'viewer', t.users.agent.membershipId, 'viewer'), 403, 'forbidden');
      expectProblem(await c.delete(`/v1/members/${t.users.agent.membershipId}`, t.headers('viewer')), 403, 'forbidden');
      expectProblem(await c.get('/v1/api-keys', t.headers('viewer')), 403, 'forbidden');
      expectProblem(await c.get('/v1/audit-logs', t.headers('viewer')), 403, 'forbidden');
      expect(await roleOf(t, t.users.agent.membershipId)).toBe('agent');
    });
  });

  describe('agent and technician', () => {
    it('agent can list members but not manage them', async () => {
      const list = expectStatus(await c.get('/v1/members', t.headers('agent')), 200);
      expect(list.data.map((m: { email: string }) => m.email)).toEqual(expect.arrayContaining(Object.values(t.users).map((u) => u.email)));
      const body = expectProblem(await setRole(t, 'agent', t.users.viewer.membershipId, 'agent'), 403, 'forbidden');
      expect(body.requiredPermission).toBe('members:manage');
      expectProblem(await c.delete(`/v1/members/${t.users.viewer.membershipId}`, t.headers('agent')), 403);
      // Not even themselves.
      expectProblem(await setRole(t, 'agent', t.users.agent.membershipId, 'admin'), 403);
      expect(await roleOf(t, t.users.viewer.membershipId)).toBe('viewer');
      expect(await roleOf(t, t.users.agent.membershipId)).toBe('agent');
    });

    it('technician cannot read the audit log or manage API keys', async () => {
      expectProblem(await c.get('/v1/audit-logs', t.headers('technician')), 403, 'forbidden');
      expectProblem(await c.get('/v1/api-keys', t.headers('technician')), 403, 'forbidden');
      expectStatus(await c.get('/v1/members', t.headers('technician')), 200);
    });

    it('admin and owner can read the audit log and manage API keys', async () => {
      for (const role of ['owner', 'admin'] as const) {
        expectStatus(await c.get('/v1/audit-logs', t.headers(role)), 200);
        expectStatus(await c.get('/v1/api-keys', t.headers(role)), 200);
      }
    });
  });

  describe('owners', () => {
    it('admin cannot promote anyone to owner, nor change or remove an owner', async () => {
      const s = await createTenant(api.url, 'adminco');
      expectProblem(await setRole(s, 'admin', s.users.agent.membershipId, 'owner'), 403, 'forbidden');
      expectProblem(await setRole(s, 'admin', s.users.admin.membershipId, 'owner'), 403, 'forbidden');
      expectProblem(await setRole(s, 'admin', s.users.owner.membershipId, 'admin'), 403, 'forbidden');
      expectProblem(await c.delete(`/v1/members/${s.users.owner.membershipId}`, s.headers('admin')), 403, 'forbidden');
      expect(await roleOf(s, s.users.agent.membershipId)).toBe('agent');
      expect(await roleOf(s, s.users.admin.membershipId)).toBe('admin');
      expect(await roleOf(s, s.users.owner.membershipId)).toBe('owner');
      // An admin may manage non-owners.
      expect(expectStatus(await setRole(s, 'admin', s.users.viewer.membershipId, 'technician'), 200).role).toBe('technician');
    });

    it('the last owner cannot be demoted or removed (409) and stays owner', async () => {
      const s = await createTenant(api.url, 'lastco');
      for (const role of ['admin', 'viewer']) {
        expectProblem(await setRole(s, 'owner', s.users.owner.membershipId, role), 409, 'last-owner');
      }
      expectProblem(await c.delete(`/v1/members/${s.users.owner.membershipId}`, s.headers('owner')), 409, 'last-owner');
      expect(await roleOf(s, s.users.owner.membershipId)).toBe('owner');
      expect(expectStatus(await c.get('/v1/me', s.headers('owner')), 200).role).toBe('owner');
      // Setting the same role is a harmless no-op.
      expect(expectStatus(await setRole(s, 'owner', s.users.owner.membershipId, 'owner'), 200).role).toBe('owner');
    });

    it('an owner can make a second owner and then demote or remove another owner', async () => {
      const s = await createTenant(api.url, 'twoco');
      expect(expectStatus(await setRole(s, 'owner', s.users.admin.membershipId, 'owner'), 200).role).toBe('owner');
      // The new owner's existing token now carries owner rights (role is read per request).
      expect(expectStatus(await c.get('/v1/me', s.headers('admin')), 200).role).toBe('owner');
      // Now the first owner may be demoted — by the other owner.
      expect(expectStatus(await setRole(s, 'admin', s.users.owner.membershipId, 'agent'), 200).role).toBe('agent');
      expect(await roleOf(s, s.users.owner.membershipId)).toBe('agent');
      // …who now is the last owner again.
      expectProblem(await setRole(s, 'admin', s.users.admin.membershipId, 'admin'), 409, 'last-owner');
      // Promote back and remove the other owner.
      expectStatus(await setRole(s, 'admin', s.users.owner.membershipId, 'owner'), 200);
      expect((await c.delete(`/v1/members/${s.users.admin.membershipId}`, s.headers('owner'))).status).toBe(204);
      expect((await members(s)).filter((m) => m.role === 'owner').map((m) => m.id)).toEqual([s.users.owner.membershipId]);
    });
  });

  describe('changes apply to the very next request', () => {
    it("a removed member's access token stops working at once (401)", async () => {
      const s = await createTenant(api.url, 'removeco');
      expectStatus(await c.get('/v1/me', s.headers('agent')), 200);
      expect((await c.delete(`/v1/members/${s.users.agent.membershipId}`, s.headers('admin'))).status).toBe(204);
      expectProblem(await c.get('/v1/me', s.headers('agent')), 401, 'unauthorized');
      expectProblem(await c.get('/v1/members', s.headers('agent')), 401, 'unauthorized');
      expect((await members(s)).some((m) => m.id === s.users.agent.membershipId)).toBe(false);
      // Removing them again is a 404.
      expectProblem(await c.delete(`/v1/members/${s.users.agent.membershipId}`, s.headers('admin')), 404, 'not-found');
    });

    it('a removed member cannot refresh their way back in', async () => {
      const s = await createTenant(api.url, 'removeco2');
      const login = expectStatus(await c.post('/v1/auth/login', { email: s.users.technician.email, password: 'correct horse battery staple' }), 200);
      expect((await c.delete(`/v1/members/${s.users.technician.membershipId}`, s.headers('owner'))).status).toBe(204);
      expectProblem(await c.post('/v1/auth/refresh', { refreshToken: login.refreshToken }), 401);
      expectProblem(await c.post('/v1/auth/login', { email: s.users.technician.email, password: 'correct horse battery staple' }), 401);
    });

    it('a role change applies to the next request with the same token', async () => {
      const s = await createTenant(api.url, 'promoco');
      expectProblem(await c.get('/v1/audit-logs', s.headers('agent')), 403);
      expectStatus(await setRole(s, 'owner', s.users.agent.membershipId, 'admin'), 200);
      expectStatus(await c.get('/v1/audit-logs', s.headers('agent')), 200);
      expect(expectStatus(await c.get('/v1/me', s.headers('agent')), 200).role).toBe('admin');
      // And back down again.
      expectStatus(await setRole(s, 'owner', s.users.agent.membershipId, 'viewer'), 200);
      expectProblem(await c.get('/v1/audit-logs', s.headers('agent')), 403);
      expectProblem(await c.post('/v1/api-keys', { name: 'x', scopes: ['tickets:read'] }, s.headers('agent')), 403);
    });
  });

  describe('API keys', () => {
    it('a read-only key gets 403 on /members; a key with members:read can list them', async () => {
      const body = expectProblem(await c.get('/v1/members', bearer(t.apiKeys.readOnly)), 403, 'forbidden');
      expect(body.requiredPermission).toBe('members:read');
      const list = expectStatus(await c.get('/v1/members', bearer(t.apiKeys.full)), 200);
      expect(list.data.length).toBe(5);
      const me = expectStatus(await c.get('/v1/me', bearer(t.apiKeys.full)), 200);
      expect(me).toMatchObject({ kind: 'api-key', role: null, user: null, tenant: { id: t.tenant.id } });
    });

    it('no API key can manage API keys or members', async () => {
      for (const key of [t.apiKeys.full, t.apiKeys.readOnly]) {
        expectProblem(await c.post('/v1/api-keys', { name: 'escalate', scopes: ['tickets:read'] }, bearer(key)), 403, 'forbidden');
        expectProblem(await c.get('/v1/api-keys', bearer(key)), 403, 'forbidden');
        expectProblem(await c.patch(`/v1/members/${t.users.viewer.membershipId}`, { role: 'admin' }, bearer(key)), 403);
        expectProblem(await c.delete(`/v1/members/${t.users.viewer.membershipId}`, bearer(key)), 403);
      }
      expect(await roleOf(t, t.users.viewer.membershipId)).toBe('viewer');
    });

    it('cannot be given scopes that manage people, keys, the tenant or billing', async () => {
      for (const scope of ['api-keys:manage', 'members:manage', 'tenant:manage', 'billing:manage', 'admin', '*']) {
        const body = expectProblem(await c.post('/v1/api-keys', { name: `with ${scope}`, scopes: [scope] }, t.headers('owner')), 400, 'validation-failed');
        expect(body.errors.map((e: { field: string }) => e.field)).toContain('scopes');
      }
      expectProblem(await c.post('/v1/api-keys', { name: 'empty', scopes: [] }, t.headers('owner')), 400);
      const keys = expectStatus(await c.get('/v1/api-keys', t.headers('owner')), 200).data as { name: string }[];
      expect(keys.some((k) => k.name.startsWith('with ') || k.name === 'empty')).toBe(false);
    });

    it('a revoked key is refused with 401 on its very next request', async () => {
      const created = expectStatus(await c.post('/v1/api-keys', { name: 'short-lived', scopes: ['members:read'] }, t.headers('admin')), 201);
      expect(created.key).toMatch(/^sb_live_/);
      expectStatus(await c.get('/v1/members', bearer(created.key)), 200);
      const res = await c.delete(`/v1/api-keys/${created.id}`, t.headers('admin'));
      expect(res.status).toBe(204);
      const body = expectProblem(await c.get('/v1/members', bearer(created.key)), 401, 'unauthorized');
      expect(body.detail).toMatch(/revoked/);
      expectProblem(await c.get('/v1/me', bearer(created.key)), 401);
      const listed = (expectStatus(await c.get('/v1/api-keys', t.headers('owner')), 200).data as { id: string; revokedAt: string | null }[]).find((k) => k.id === created.id);
      expect(listed?.revokedAt).toBeTruthy();
      // Revoking twice is harmless.
      expect((await c.delete(`/v1/api-keys/${created.id}`, t.headers('admin'))).status).toBe(204);
    });

    it('a key with a valid prefix but a wrong secret is refused', async () => {
      const [, prefix] = /^sb_live_([A-Za-z0-9]{8})_/.exec(t.apiKeys.full)!;
      expectProblem(await c.get('/v1/members', bearer(`sb_live_${prefix}_${'A'.repeat(43)}`)), 401, 'unauthorized');
    });
  });

  describe('mass assignment', () => {
    const fieldsOf = (body: { errors?: { field: string; message: string }[] }) => body.errors ?? [];

    it('POST /api-keys with tenantId, tenant_id, createdBy or role → 400 naming the field', async () => {
      for (const extra of ['tenantId', 'tenant_id', 'role', 'createdBy', 'secretHash', 'id']) {
        const body = expectProblem(await c.post('/v1/api-keys', { name: `ma-${extra}`, scopes: ['tickets:read'], [extra]: extra === 'id' ? '6f1c1c36-55a4-4f43-9d7c-0d1a1e0b9a11' : 'x' }, t.headers('owner')), 400, 'validation-failed');
        expect(fieldsOf(body)).toContainEqual({ field: extra, message: 'should not exist' });
      }
      const keys = expectStatus(await c.get('/v1/api-keys', t.headers('owner')), 200).data as { name: string }[];
      expect(keys.some((k) => k.name.startsWith('ma-'))).toBe(false);
    });

    it('PATCH /members/:id with tenantId, tenant_id or userId → 400 and the role is unchanged', async () => {
      for (const extra of ['tenantId', 'tenant_id', 'userId', 'email']) {
        const body = expectProblem(await c.patch(`/v1/members/${t.users.technician.membershipId}`, { role: 'admin', [extra]: 'x' }, t.headers('owner')), 400, 'validation-failed');
        expect(fieldsOf(body)).toContainEqual({ field: extra, message: 'should not exist' });
      }
      expect(await roleOf(t, t.users.technician.membershipId)).toBe('technician');
    });

    it('PATCH /members/:id with an unknown role or a malformed id → 400', async () => {
      const body = expectProblem(await setRole(t, 'owner', t.users.technician.membershipId, 'superadmin'), 400, 'validation-failed');
      expect(fieldsOf(body).map((e) => e.field)).toContain('role');
      expectProblem(await c.patch('/v1/members/not-a-uuid', { role: 'viewer' }, t.headers('owner')), 400);
      expectProblem(await c.delete('/v1/members/not-a-uuid', t.headers('owner')), 400);
      expectProblem(await c.delete('/v1/api-keys/not-a-uuid', t.headers('owner')), 400);
    });

    it('admin provisioning rejects tenant fields in the body', async () => {
      const res = await c.post(
        `/v1/admin/tenants/${t.tenant.id}/members`,
        { email: `ma.${Date.now()}@permco.test`, name: 'MA', password: 'long enough password', role: 'viewer', tenantId: t.tenant.id, tenant_id: t.tenant.id },
        adminHeaders(),
      );
      const body = expectProblem(res, 400, 'validation-failed');
      expect(fieldsOf(body)).toEqual(expect.arrayContaining([{ field: 'tenantId', message: 'should not exist' }, { field: 'tenant_id', message: 'should not exist' }]));
    });
  });
});
