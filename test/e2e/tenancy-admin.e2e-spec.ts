import { randomBytes } from 'node:crypto';
import { adminHeaders, startApi, type RunningApi } from '../support/processes';
import { createTenant, login, PASSWORD, type TenantSession } from '../support/tenants';
import { bearer, client, expectProblem, expectStatus, RANDOM_UUID } from '../support/http';

const suffix = () => randomBytes(4).toString('hex');

describe('tenancy: platform admin API for tenants', () => {
  let api: RunningApi;
  let c: ReturnType<typeof client>;
  let t: TenantSession;

  beforeAll(async () => {
    api = await startApi({ RATE_LIMIT_AUTH_PER_MINUTE: '1000' });
    c = client(api.url);
    t = await createTenant(api.url, 'adminapi');
  });
  afterAll(async () => {
    await api?.stop();
  });

  const validBody = (overrides: Record<string, unknown> = {}) => {
    const s = suffix();
    return { name: `Tenant ${s}`, slug: `tenant-${s}`, timezone: 'Europe/Vienna', locale: 'de-AT', owner: { email: `owner.${s}@admin.test`, name: 'Owner', password: PASSWORD }, ...overrides };
  };
  const create = (body: unknown, headers = adminHeaders()) => c.post('/v1/admin/tenants', body, headers);
  const fieldErrors = (body: { errors?: { field: string; message: string }[] }) => (body.errors ?? []).map((e) => e.field);

  describe('create', () => {
    it('creates a tenant with its owner: 201, Location, ETag, defaults', async () => {
      const body = validBody();
      const res = await create(body);
      const tenant = expectStatus(res, 201);
      expect(tenant).toMatchObject({ slug: body.slug, name: body.name, timezone: 'Europe/Vienna', locale: 'de-AT', status: 'active', version: 1 });
      expect(res.headers.get('etag')).toBe(`W/"${tenant.version}"`);
      expect(res.headers.get('location')).toBe(`/v1/admin/tenants/${tenant.id}`);
      expect(JSON.stringify(tenant)).not.toContain(PASSWORD);
      const session = await login(api.url, body.owner.email);
      expect(session.tenant.id).toBe(tenant.id);

      const minimal = validBody();
      const { timezone: _tz, locale: _l, ...rest } = minimal;
      expect(expectStatus(await create(rest), 201)).toMatchObject({ timezone: 'UTC', locale: 'en' });
    });

    it('rejects bad slugs with 400 naming slug', async () => {
      for (const slug of ['Bad Slug', 'UPPER', '-leading', 'trailing-', 'under_score', 'a'.repeat(64), '', 'ünïcode', 'a/b']) {
        const body = expectProblem(await create(validBody({ slug })), 400, 'validation-failed');
        expect(fieldErrors(body)).toContain('slug');
      }
    });

    it('rejects a duplicate slug with 409 naming slug, and creates nothing', async () => {
      const first = validBody();
      expectStatus(await create(first), 201);
      const dup = validBody({ slug: first.slug });
      const body = expectProblem(await create(dup), 409);
      expect(body.detail).toMatch(/slug/);
      expect(body.errors).toEqual([{ field: 'slug', message: 'must be unique' }]);
      // The second owner was not created either (the whole create is one transaction).
      expectProblem(await c.post('/v1/auth/login', { email: dup.owner.email, password: PASSWORD }), 401);
    });

    it('rejects a bad time zone or locale, a short password, a bad email and missing fields with 400', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ timezone: 'Mars/Olympus_Mons' }, 'timezone'],
        [{ timezone: 'CEST' }, 'timezone'],
        [{ timezone: 42 }, 'timezone'],
        [{ locale: 'english' }, 'locale'],
        [{ owner: { email: 'x@y.test', name: 'X', password: 'short' } }, 'owner.password'],
        [{ owner: { email: 'not-an-email', name: 'X', password: PASSWORD } }, 'owner.email'],
        [{ owner: { email: 'x@y.test', name: '', password: PASSWORD } }, 'owner.name'],
        [{ name: '' }, 'name'],
        [{ name: 'x'.repeat(201) }, 'name'],
      ];
      for (const [override, field] of cases) {
        const body = expectProblem(await create(validBody(override)), 400, 'validation-failed');
        expect(fieldErrors(body)).toContain(field);
      }
      const { slug: _s, ...noSlug } = validBody();
      expect(fieldErrors(expectProblem(await create(noSlug), 400))).toContain('slug');
      expect(fieldErrors(expectProblem(await create(validBody({ owner: 'owner@x.test' })), 400))).toContain('owner');
      expect(fieldErrors(expectProblem(await create(validBody({ owner: null })), 400))).toContain('owner');
    });

    it('rejects a body without owner, or with owner as an array, with 400 naming owner (not a 500)', async () => {
      const { owner: _o, ...noOwner } = validBody();
      expect(fieldErrors(expectProblem(await create(noOwner), 400, 'validation-failed'))).toContain('owner');
      expect(fieldErrors(expectProblem(await create(validBody({ owner: [] })), 400, 'validation-failed'))).toContain('owner');
      // Nothing was created under that slug.
      const list = expectStatus(await c.get('/v1/admin/tenants?limit=100', adminHeaders()), 200);
      expect(list.data.some((x: { slug: string }) => x.slug === noOwner.slug)).toBe(false);
    });

    it('rejects unknown fields, also inside owner, with 400', async () => {
      for (const [override, field] of [
        [{ id: RANDOM_UUID }, 'id'],
        [{ status: 'suspended' }, 'status'],
        [{ version: 7 }, 'version'],
        [{ tenantId: RANDOM_UUID }, 'tenantId'],
      ] as const) {
        const body = expectProblem(await create(validBody(override)), 400, 'validation-failed');
        expect(body.errors).toContainEqual({ field, message: 'should not exist' });
      }
      const withRole = validBody();
      const body = expectProblem(await create({ ...withRole, owner: { ...withRole.owner, role: 'viewer', passwordHash: 'x' } }), 400, 'validation-failed');
      expect(fieldErrors(body)).toEqual(expect.arrayContaining(['owner.role', 'owner.passwordHash']));
    });

    it("creating a tenant for an existing user's email never changes that user's password", async () => {
      const body = validBody({ owner: { email: t.users.viewer.email, name: 'Hijack', password: 'a brand new password!' } });
      const tenant = expectStatus(await create(body), 201);
      // The user keeps their password and now belongs to two tenants.
      expectProblem(await c.post('/v1/auth/login', { email: t.users.viewer.email, password: 'a brand new password!', tenant: tenant.slug }), 401);
      expectStatus(await c.post('/v1/auth/login', { email: t.users.viewer.email, password: PASSWORD, tenant: tenant.slug }), 200);
      expectStatus(await c.post('/v1/auth/login', { email: t.users.viewer.email, password: PASSWORD, tenant: t.tenant.slug }), 200);
      const choose = expectProblem(await c.post('/v1/auth/login', { email: t.users.viewer.email, password: PASSWORD }), 400, 'tenant-required');
      expect(choose.tenants.map((x: { slug: string }) => x.slug).sort()).toEqual([t.tenant.slug, tenant.slug].sort());
    });
  });

  describe('read', () => {
    it('lists tenants newest first with a cursor, and filters by status', async () => {
      const made: string[] = [];
      for (let i = 0; i < 3; i++) made.push(expectStatus(await create(validBody()), 201).id);
      expectStatus(await c.post(`/v1/admin/tenants/${made[1]}/suspend`, undefined, adminHeaders()), 200);

      const seen: { id: string; createdAt: string }[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: { data: { id: string; createdAt: string }[]; nextCursor: string | null } = expectStatus(
          await c.get(`/v1/admin/tenants?limit=2${cursor ? `&cursor=${cursor}` : ''}`, adminHeaders()),
          200,
        );
        expect(page.data.length).toBeLessThanOrEqual(2);
        seen.push(...page.data);
        cursor = page.nextCursor;
        pages++;
      } while (cursor && pages < 200);
      expect(cursor).toBeNull();
      const ids = seen.map((x) => x.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toEqual(expect.arrayContaining([...made, t.tenant.id]));
      // Newest first: the three just made come in reverse order (other test files, running in
      // parallel, may create tenants of their own in between, and after them).
      expect(ids.filter((id) => made.includes(id))).toEqual([...made].reverse());
      for (let i = 1; i < seen.length; i++) expect(Date.parse(seen[i - 1].createdAt)).toBeGreaterThanOrEqual(Date.parse(seen[i].createdAt));

      const suspended = expectStatus(await c.get('/v1/admin/tenants?status=suspended&limit=100', adminHeaders()), 200);
      expect(suspended.data.map((x: { id: string }) => x.id)).toContain(made[1]);
      expect(suspended.data.every((x: { status: string }) => x.status === 'suspended')).toBe(true);
      const active = expectStatus(await c.get('/v1/admin/tenants?status=active&limit=100', adminHeaders()), 200);
      expect(active.data.map((x: { id: string }) => x.id)).not.toContain(made[1]);

      for (const query of ['status=gone', 'limit=0', 'limit=101', 'cursor=nonsense', 'slug=acme']) {
        expectProblem(await c.get(`/v1/admin/tenants?${query}`, adminHeaders()), 400);
      }
    });

    it('gets one tenant with its ETag; unknown → 404, malformed id → 400', async () => {
      const res = await c.get(`/v1/admin/tenants/${t.tenant.id}`, adminHeaders());
      const tenant = expectStatus(res, 200);
      expect(tenant).toMatchObject({ id: t.tenant.id, slug: t.tenant.slug });
      expect(res.headers.get('etag')).toBe(`W/"${tenant.version}"`);
      const missing = expectProblem(await c.get(`/v1/admin/tenants/${RANDOM_UUID}`, adminHeaders()), 404, 'not-found');
      expect(missing.detail).toContain(RANDOM_UUID);
      expectProblem(await c.get('/v1/admin/tenants/not-a-uuid', adminHeaders()), 400);
      for (const path of ['suspend', 'reactivate']) expectProblem(await c.post(`/v1/admin/tenants/${RANDOM_UUID}/${path}`, undefined, adminHeaders()), 404);
      expectProblem(await c.patch(`/v1/admin/tenants/${RANDOM_UUID}`, { name: 'x' }, adminHeaders()), 404);
      expectProblem(await c.delete(`/v1/admin/tenants/${RANDOM_UUID}`, adminHeaders()), 404);
      expectProblem(
        await c.post(`/v1/admin/tenants/${RANDOM_UUID}/members`, { email: `m.${suffix()}@admin.test`, name: 'M', password: PASSWORD, role: 'agent' }, adminHeaders()),
        404,
      );
    });
  });

  describe('update', () => {
    it('updates with a current If-Match and bumps the ETag; a stale one is 412 and changes nothing', async () => {
      const tenant = expectStatus(await create(validBody()), 201);
      const etag = `W/"${tenant.version}"`;
      const ok = await c.patch(`/v1/admin/tenants/${tenant.id}`, { name: 'Renamed Ltd' }, adminHeaders({ 'if-match': etag }));
      const updated = expectStatus(ok, 200);
      expect(updated).toMatchObject({ name: 'Renamed Ltd', version: tenant.version + 1, timezone: tenant.timezone, locale: tenant.locale });
      expect(ok.headers.get('etag')).toBe(`W/"${tenant.version + 1}"`);

      // The old ETag is now stale.
      const stale = expectProblem(await c.patch(`/v1/admin/tenants/${tenant.id}`, { name: 'Lost Update' }, adminHeaders({ 'if-match': etag })), 412, 'precondition-failed');
      expect(stale).toMatchObject({ detail: `The tenant changed since version ${tenant.version}; the current version is ${tenant.version + 1} (ETag W/"${tenant.version + 1}"). Reload it and retry.`, currentVersion: tenant.version + 1 });
      const now = expectStatus(await c.get(`/v1/admin/tenants/${tenant.id}`, adminHeaders()), 200);
      expect(now).toMatchObject({ name: 'Renamed Ltd', version: tenant.version + 1 });

      // A strong form of the current tag is accepted too; no If-Match means last write wins.
      expectStatus(await c.patch(`/v1/admin/tenants/${tenant.id}`, { timezone: 'Asia/Tokyo' }, adminHeaders({ 'if-match': `"${now.version}"` })), 200);
      expect(expectStatus(await c.patch(`/v1/admin/tenants/${tenant.id}`, { locale: 'ja' }, adminHeaders()), 200)).toMatchObject({ name: 'Renamed Ltd', timezone: 'Asia/Tokyo', locale: 'ja' });
    });

    it('accepts If-Match: * as any current version, and sends no ETag with an error', async () => {
      const tenant = expectStatus(await create(validBody()), 201);
      const any = await c.patch(`/v1/admin/tenants/${tenant.id}`, { name: 'Any Version Ltd' }, adminHeaders({ 'if-match': '*' }));
      expect(expectStatus(any, 200)).toMatchObject({ name: 'Any Version Ltd', version: tenant.version + 1 });
      expect(any.headers.get('etag')).toBe(`W/"${tenant.version + 1}"`);
      const stale = await c.patch(`/v1/admin/tenants/${tenant.id}`, { name: 'Lost' }, adminHeaders({ 'if-match': `W/"${tenant.version}"` }));
      expectProblem(stale, 412, 'precondition-failed');
      expect(stale.headers.get('etag')).toBeNull();
      const invalid = await c.patch(`/v1/admin/tenants/${tenant.id}`, { name: 5 }, adminHeaders({ 'if-match': '*' }));
      expectProblem(invalid, 400);
      expect(invalid.headers.get('etag')).toBeNull();
    });

    it('rejects a malformed If-Match with 400 and changes nothing', async () => {
      const tenant = expectStatus(await create(validBody()), 201);
      for (const ifMatch of ['garbage', '"abc"', 'W/3', '"-1"', '3']) {
        const body = expectProblem(await c.patch(`/v1/admin/tenants/${tenant.id}`, { name: 'Nope' }, adminHeaders({ 'if-match': ifMatch })), 400);
        expect(body.detail).toMatch(/If-Match/);
      }
      expect(expectStatus(await c.get(`/v1/admin/tenants/${tenant.id}`, adminHeaders()), 200)).toMatchObject({ name: tenant.name, version: tenant.version });
    });

    it('rejects fields that cannot be changed here and bad values with 400', async () => {
      const tenant = expectStatus(await create(validBody()), 201);
      for (const body of [{ slug: 'new-slug' }, { status: 'active' }, { version: 99 }, { id: RANDOM_UUID }, { timezone: 'Nowhere/Land' }, { name: '' }, { locale: 'EN_us' }]) {
        expectProblem(await c.patch(`/v1/admin/tenants/${tenant.id}`, body, adminHeaders()), 400);
      }
      expect(expectStatus(await c.get(`/v1/admin/tenants/${tenant.id}`, adminHeaders()), 200)).toMatchObject({ slug: tenant.slug, status: 'active', version: tenant.version });
    });
  });

  describe('delete', () => {
    it('answers 202 with status deleting; the tenant’s credentials are refused (403) and GET shows deleting', async () => {
      const s = await createTenant(api.url, 'doomed');
      const refresh = await login(api.url, s.users.agent.email);
      expectStatus(await c.get('/v1/members', s.headers('owner')), 200);

      const res = await c.delete(`/v1/admin/tenants/${s.tenant.id}`, adminHeaders());
      expect(res.status).toBe(202);
      expect(res.body).toMatchObject({ id: s.tenant.id, status: 'deleting' });

      for (const token of [s.tokens.owner, s.tokens.agent, s.apiKeys.full]) {
        expectProblem(await c.get('/v1/members', bearer(token)), 403);
        expectProblem(await c.get('/v1/me', bearer(token)), 403);
      }
      expectProblem(await c.post('/v1/auth/login', { email: s.users.owner.email, password: PASSWORD }), 401);
      expectProblem(await c.post('/v1/auth/refresh', { refreshToken: refresh.refreshToken }), 401);
      expect(expectStatus(await c.get(`/v1/admin/tenants/${s.tenant.id}`, adminHeaders()), 200).status).toBe('deleting');
      const listed = expectStatus(await c.get('/v1/admin/tenants?status=deleting&limit=100', adminHeaders()), 200);
      expect(listed.data.map((x: { id: string }) => x.id)).toContain(s.tenant.id);

      // Deleting is final: it cannot be reactivated or edited; deleting again is harmless.
      expectProblem(await c.post(`/v1/admin/tenants/${s.tenant.id}/reactivate`, undefined, adminHeaders()), 404);
      expectProblem(await c.patch(`/v1/admin/tenants/${s.tenant.id}`, { name: 'Back' }, adminHeaders()), 404);
      expect((await c.delete(`/v1/admin/tenants/${s.tenant.id}`, adminHeaders())).status).toBe(202);
      expect(expectStatus(await c.get(`/v1/admin/tenants/${s.tenant.id}`, adminHeaders()), 200).status).toBe('deleting');
    });

    it('suspending is idempotent and reactivating restores access', async () => {
      const s = await createTenant(api.url, 'suspadm');
      const first = expectStatus(await c.post(`/v1/admin/tenants/${s.tenant.id}/suspend`, undefined, adminHeaders()), 200);
      const second = expectStatus(await c.post(`/v1/admin/tenants/${s.tenant.id}/suspend`, undefined, adminHeaders()), 200);
      expect(second).toMatchObject({ status: 'suspended', version: first.version });
      expectProblem(await c.get('/v1/me', s.headers('owner')), 403, 'tenant-suspended');
      expectStatus(await c.post(`/v1/admin/tenants/${s.tenant.id}/reactivate`, undefined, adminHeaders()), 200);
      expectStatus(await c.get('/v1/me', s.headers('owner')), 200);
    });
  });

  describe('provisioning members', () => {
    it('adds a member with a role; duplicates and bad roles are refused', async () => {
      const email = `prov.${suffix()}@admin.test`;
      const added = expectStatus(await c.post(`/v1/admin/tenants/${t.tenant.id}/members`, { email, name: 'Prov', password: PASSWORD, role: 'technician' }, adminHeaders()), 201);
      expect(added).toEqual({ membershipId: expect.any(String), userId: expect.any(String) });
      const members = expectStatus(await c.get('/v1/members', t.headers('owner')), 200).data as { id: string; role: string }[];
      expect(members.find((m) => m.id === added.membershipId)?.role).toBe('technician');
      expectProblem(await c.post(`/v1/admin/tenants/${t.tenant.id}/members`, { email, name: 'Prov', password: PASSWORD, role: 'agent' }, adminHeaders()), 409);
      expect(fieldErrors(expectProblem(await c.post(`/v1/admin/tenants/${t.tenant.id}/members`, { email: `x.${suffix()}@admin.test`, name: 'X', password: PASSWORD, role: 'root' }, adminHeaders()), 400))).toContain('role');
      expect(fieldErrors(expectProblem(await c.post(`/v1/admin/tenants/${t.tenant.id}/members`, { email: `x.${suffix()}@admin.test`, name: 'X', password: 'short', role: 'agent' }, adminHeaders()), 400))).toContain('password');
    });
  });

  describe('who may call it', () => {
    const routes = (id: string): [string, string, unknown?][] => [
      ['GET', '/v1/admin/tenants'],
      ['POST', '/v1/admin/tenants', validBody()],
      ['GET', `/v1/admin/tenants/${id}`],
      ['PATCH', `/v1/admin/tenants/${id}`, { name: 'Taken over' }],
      ['POST', `/v1/admin/tenants/${id}/members`, { email: `evil.${suffix()}@admin.test`, name: 'Evil', password: PASSWORD, role: 'owner' }],
      ['POST', `/v1/admin/tenants/${id}/suspend`],
      ['POST', `/v1/admin/tenants/${id}/reactivate`],
      ['DELETE', `/v1/admin/tenants/${id}`],
    ];
    const call = (method: string, path: string, body: unknown, headers: Record<string, string>) =>
      fetch(`${api.url}${path}`, { method, headers: { 'content-type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });

    it('no credential → 401 with WWW-Authenticate; a wrong or made-up admin key → 401 too', async () => {
      for (const [method, path, body] of routes(t.tenant.id)) {
        const none = await call(method, path, body, {});
        expect(none.status).toBe(401);
        expect(none.headers.get('www-authenticate')).toMatch(/Bearer/);
        for (const made of ['not-the-platform-admin-key-000000', 'sb_admin_0123456789abcdef0123456789abcdef', 'sb_live_made_up_0000000000000000']) {
          const wrong = await call(method, path, body, { authorization: `Bearer ${made}` });
          expect([made, wrong.status]).toEqual([made, 401]);
          expect(wrong.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
          expect(wrong.headers.get('content-type')).toMatch(/problem\+json/);
        }
      }
      expect(expectStatus(await c.get(`/v1/admin/tenants/${t.tenant.id}`, adminHeaders()), 200)).toMatchObject({ status: 'active', name: t.tenant.name });
    });

    it("a tenant's access token or API key on /admin/* → 403, even the owner's", async () => {
      for (const token of [t.tokens.owner, t.tokens.admin, t.apiKeys.full]) {
        for (const [method, path, body] of routes(t.tenant.id)) {
          const res = await call(method, path, body, { authorization: `Bearer ${token}` });
          expect(res.status).toBe(403);
          expect((await res.json()).detail).toMatch(/platform admin/);
        }
      }
      const after = expectStatus(await c.get(`/v1/admin/tenants/${t.tenant.id}`, adminHeaders()), 200);
      expect(after).toMatchObject({ status: 'active', name: t.tenant.name });
      const members = expectStatus(await c.get('/v1/members', t.headers('owner')), 200).data as { email: string }[];
      expect(members.some((m) => m.email.startsWith('evil.'))).toBe(false);
    });

    it('the platform admin key is not a tenant credential', async () => {
      for (const path of ['/v1/me', '/v1/members', '/v1/api-keys', '/v1/audit-logs']) {
        expectProblem(await c.get(path, adminHeaders()), 401);
      }
    });
  });
});
