import { adminHeaders, startApi, type RunningApi } from '../support/processes';
import { createTenant, PASSWORD, type TenantSession } from '../support/tenants';
import { bearer, client, expectProblem, expectStatus, PROBLEM, RANDOM_UUID, type HttpResult } from '../support/http';

interface AuditEntry {
  id: string;
  actorType: string;
  actorId: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  changes: Record<string, { from?: unknown; to?: unknown }>;
  requestId: string | null;
  ip: string | null;
  userAgent: string | null;
  createdAt: string;
}

const USER_AGENT = 'tenancy-audit-e2e/1.0 (+https://example.test)';
const CLIENT_IP = '203.0.113.77';

describe('tenancy: audit log', () => {
  let api: RunningApi;
  let c: ReturnType<typeof client>;
  let t: TenantSession;

  beforeAll(async () => {
    api = await startApi({ RATE_LIMIT_AUTH_PER_MINUTE: '1000' });
    c = client(api.url);
    t = await createTenant(api.url, 'auditco');
  });
  afterAll(async () => {
    await api?.stop();
  });

  /** Headers of a mutation whose client we can recognise in the audit entry. */
  const as = (role: Parameters<TenantSession['headers']>[0]) => t.headers(role, { 'user-agent': USER_AGENT, 'x-forwarded-for': CLIENT_IP });

  const audit = async (query: string, role: Parameters<TenantSession['headers']>[0] = 'owner'): Promise<{ data: AuditEntry[]; nextCursor: string | null }> =>
    expectStatus(await c.get(`/v1/audit-logs?${query}`, t.headers(role)), 200);

  /** The one entry written by the request that answered `res`. */
  const entryFor = async (res: HttpResult, action: string): Promise<AuditEntry> => {
    const requestId = res.headers.get('x-request-id');
    expect(requestId).toBeTruthy();
    const { data } = await audit(`action=${encodeURIComponent(action)}&limit=100`);
    const matching = data.filter((e) => e.requestId === requestId);
    expect(matching).toHaveLength(1);
    return matching[0];
  };

  const expectClient = (e: AuditEntry) => {
    expect(e.ip).toBe(CLIENT_IP);
    expect(e.userAgent).toBe(USER_AGENT);
    expect(Number.isNaN(Date.parse(e.createdAt))).toBe(false);
  };

  it('creating an API key is audited with actor, entity, request id, ip and user agent — never the secret', async () => {
    const res = await c.post('/v1/api-keys', { name: 'audited key', scopes: ['tickets:read', 'kb:read'] }, as('admin'));
    const key = expectStatus(res, 201);
    const e = await entryFor(res, 'api_key.created');
    expect(e).toMatchObject({ actorType: 'user', actorId: t.users.admin.userId, action: 'api_key.created', entityType: 'api_key', entityId: key.id });
    expect(e.changes).toMatchObject({ name: { to: 'audited key' }, scopes: { to: ['kb:read', 'tickets:read'] } });
    expectClient(e);
    const secret = key.key.split('_').slice(3).join('_');
    expect(secret.length).toBeGreaterThanOrEqual(20);
    expect(JSON.stringify(e)).not.toContain(secret);
  });

  it('revoking an API key is audited', async () => {
    const key = expectStatus(await c.post('/v1/api-keys', { name: 'to revoke', scopes: ['tickets:read'] }, t.headers('owner')), 201);
    const res = await c.delete(`/v1/api-keys/${key.id}`, as('owner'));
    expect(res.status).toBe(204);
    const e = await entryFor(res, 'api_key.revoked');
    expect(e).toMatchObject({ actorType: 'user', actorId: t.users.owner.userId, entityType: 'api_key', entityId: key.id });
    expectClient(e);
  });

  it('changing a role is audited with the before and after role', async () => {
    const res = await c.patch(`/v1/members/${t.users.viewer.membershipId}`, { role: 'agent' }, as('owner'));
    expectStatus(res, 200);
    const e = await entryFor(res, 'member.role_changed');
    expect(e).toMatchObject({
      actorType: 'user',
      actorId: t.users.owner.userId,
      entityType: 'membership',
      entityId: t.users.viewer.membershipId,
      changes: { role: { from: 'viewer', to: 'agent' } },
    });
    expectClient(e);
  });

  it('removing a member is audited', async () => {
    const s = await createTenant(api.url, 'auditrm');
    const res = await c.delete(`/v1/members/${s.users.technician.membershipId}`, s.headers('admin', { 'user-agent': USER_AGENT, 'x-forwarded-for': CLIENT_IP }));
    expect(res.status).toBe(204);
    const { data } = expectStatus(await c.get('/v1/audit-logs?action=member.removed', s.headers('owner')), 200);
    const e = (data as AuditEntry[]).find((x) => x.requestId === res.headers.get('x-request-id'));
    expect(e).toMatchObject({ actorType: 'user', actorId: s.users.admin.userId, entityType: 'membership', entityId: s.users.technician.membershipId });
    expect(e!.changes).toMatchObject({ role: { from: 'technician' } });
    expectClient(e!);
  });

  it('suspending (and reactivating) a tenant is audited as the platform admin', async () => {
    const s = await createTenant(api.url, 'auditsusp');
    const suspend = await c.post(`/v1/admin/tenants/${s.tenant.id}/suspend`, undefined, adminHeaders({ 'user-agent': USER_AGENT, 'x-forwarded-for': CLIENT_IP }));
    expectStatus(suspend, 200);
    const reactivate = await c.post(`/v1/admin/tenants/${s.tenant.id}/reactivate`, undefined, adminHeaders({ 'user-agent': USER_AGENT, 'x-forwarded-for': CLIENT_IP }));
    expectStatus(reactivate, 200);
    const { data } = expectStatus(await c.get('/v1/audit-logs?entityType=tenant', s.headers('owner')), 200);
    const entries = data as AuditEntry[];
    const suspended = entries.find((e) => e.requestId === suspend.headers.get('x-request-id'));
    expect(suspended).toMatchObject({
      actorType: 'platform_admin',
      actorId: 'platform-admin',
      action: 'tenant.suspended',
      entityType: 'tenant',
      entityId: s.tenant.id,
      changes: { status: { from: 'active', to: 'suspended' } },
    });
    expectClient(suspended!);
    expect(entries.find((e) => e.requestId === reactivate.headers.get('x-request-id'))).toMatchObject({ action: 'tenant.reactivated', entityId: s.tenant.id });
  });

  it('a sign-in is audited, and a request id the client sent is the one recorded', async () => {
    const requestId = `audit-login-${Date.now()}`;
    const res = await c.post('/v1/auth/login', { email: t.users.technician.email, password: PASSWORD }, { 'user-agent': USER_AGENT, 'x-forwarded-for': CLIENT_IP, 'x-request-id': requestId });
    expectStatus(res, 200);
    expect(res.headers.get('x-request-id')).toBe(requestId);
    const e = await entryFor(res, 'auth.login');
    expect(e).toMatchObject({ actorType: 'user', actorId: t.users.technician.userId, entityType: 'user', entityId: t.users.technician.userId, requestId });
    expectClient(e);
    expect(JSON.stringify(e)).not.toContain(PASSWORD);
  });

  it('a refused mutation writes no audit entry', async () => {
    const keyId = expectStatus(await c.get('/v1/me', bearer(t.apiKeys.full)), 200).apiKey.id as string;
    const before = await audit('action=api_key.created&limit=100');
    expectProblem(await c.post('/v1/api-keys', { name: 'nope', scopes: ['tickets:read'] }, bearer(t.apiKeys.full)), 403);
    expectProblem(await c.patch(`/v1/members/${t.users.owner.membershipId}`, { role: 'viewer' }, t.headers('admin')), 403);
    expect((await audit(`actorId=${keyId}`)).data).toEqual([]);
    expect((await audit('action=api_key.created&limit=100')).data).toEqual(before.data);
    expect((await audit(`entityId=${t.users.owner.membershipId}`)).data.map((e) => e.action)).toEqual(['member.added']);
  });

  it('never shows secrets: not in audit changes, not in GET /api-keys', async () => {
    const created = expectStatus(await c.post('/v1/api-keys', { name: 'secret check', scopes: ['members:read'] }, t.headers('owner')), 201);
    const secret = created.key.split('_').slice(3).join('_');
    const login = expectStatus(await c.post('/v1/auth/login', { email: t.users.agent.email, password: PASSWORD }), 200);
    expectStatus(await c.post('/v1/auth/refresh', { refreshToken: login.refreshToken }), 200);

    const list = await c.get('/v1/api-keys', t.headers('owner'));
    expect(list.status).toBe(200);
    const listed = (list.body.data as { id: string; prefix: string }[]).find((k) => k.id === created.id)!;
    expect(created.key.startsWith(listed.prefix)).toBe(true);
    const all: string[] = [list.text];
    let cursor: string | null = null;
    do {
      const page = await c.get(`/v1/audit-logs?limit=100${cursor ? `&cursor=${cursor}` : ''}`, t.headers('owner'));
      expect(page.status).toBe(200);
      all.push(page.text);
      cursor = page.body.nextCursor;
    } while (cursor);
    const text = all.join('\n');
    for (const needle of [secret, created.key, PASSWORD, login.refreshToken, login.accessToken, t.apiKeys.full, t.apiKeys.full.split('_').slice(3).join('_')]) {
      expect(text).not.toContain(needle);
    }
    expect(text).not.toMatch(/secret_?hash|password_?hash|"secretHash"/i);
  });

  describe('filters and pagination', () => {
    it('filters by action, entity type, entity id and actor', async () => {
      const byAction = await audit('action=api_key.created&limit=100');
      expect(byAction.data.length).toBeGreaterThanOrEqual(3);
      expect(byAction.data.every((e) => e.action === 'api_key.created')).toBe(true);

      const byType = await audit('entityType=membership&limit=100');
      expect(byType.data.length).toBeGreaterThanOrEqual(5); // one member.added per member at least
      expect(byType.data.every((e) => e.entityType === 'membership')).toBe(true);
      expect(new Set(byType.data.map((e) => e.action))).toEqual(new Set(['member.added', 'member.role_changed']));

      const byEntity = await audit(`entityId=${t.users.viewer.membershipId}`);
      expect(byEntity.data.map((e) => e.action).sort()).toEqual(['member.added', 'member.role_changed']);

      const byActor = await audit(`actorId=${t.users.admin.userId}&limit=100`);
      expect(byActor.data.length).toBeGreaterThanOrEqual(1);
      expect(byActor.data.every((e) => e.actorId === t.users.admin.userId)).toBe(true);

      const combined = await audit(`entityType=api_key&action=api_key.revoked`);
      expect(combined.data.length).toBeGreaterThanOrEqual(1);
      expect(combined.data.every((e) => e.entityType === 'api_key' && e.action === 'api_key.revoked')).toBe(true);

      expect((await audit('action=no.such.action')).data).toEqual([]);
    });

    it('filters by time', async () => {
      const all = await audit('limit=100');
      const newest = all.data[0];
      const future = new Date(Date.now() + 3600_000).toISOString();
      expect((await audit(`from=${encodeURIComponent(future)}`)).data).toEqual([]);
      const upToNewest = await audit(`to=${encodeURIComponent(newest.createdAt)}&limit=100`);
      expect(upToNewest.data.every((e) => Date.parse(e.createdAt) < Date.parse(newest.createdAt))).toBe(true);
      const fromNewest = await audit(`from=${encodeURIComponent(newest.createdAt)}&limit=100`);
      expect(fromNewest.data.map((e) => e.id)).toContain(newest.id);
      expect(fromNewest.data.every((e) => Date.parse(e.createdAt) >= Date.parse(newest.createdAt))).toBe(true);
    });

    it('pages newest first with an opaque cursor, without gaps or repeats', async () => {
      const everything = (await audit('limit=100')).data;
      expect(everything.length).toBeGreaterThanOrEqual(8);
      const seen: AuditEntry[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: { data: AuditEntry[]; nextCursor: string | null } = await audit(`limit=3${cursor ? `&cursor=${cursor}` : ''}`);
        expect(page.data.length).toBeLessThanOrEqual(3);
        seen.push(...page.data);
        cursor = page.nextCursor;
        pages++;
      } while (cursor && pages < 100);
      expect(cursor).toBeNull();
      expect(seen.map((e) => e.id)).toEqual(everything.map((e) => e.id));
      for (let i = 1; i < seen.length; i++) expect(Date.parse(seen[i - 1].createdAt)).toBeGreaterThanOrEqual(Date.parse(seen[i].createdAt));

      // A filtered list pages too.
      const filtered = await audit('entityType=membership&limit=2');
      expect(filtered.nextCursor).toBeTruthy();
      const next = await audit(`entityType=membership&limit=2&cursor=${filtered.nextCursor}`);
      expect(next.data.every((e) => e.entityType === 'membership')).toBe(true);
      expect(next.data.some((e) => filtered.data.some((f) => f.id === e.id))).toBe(false);
    });

    it('rejects bad filters and forged cursors with 400', async () => {
      for (const query of ['limit=0', 'limit=101', 'limit=abc', 'from=yesterday', 'to=2020-13-45', 'cursor=%27%3Bdrop', `cursor=${Buffer.from('[1,2,3]').toString('base64url')}`, `cursor=${Buffer.from('["not a date","x"]').toString('base64url')}`, 'unknown=1']) {
        const res = await c.get(`/v1/audit-logs?${query}`, t.headers('owner'));
        expectProblem(res, 400);
      }
    });
  });

  it('has no route to change or delete entries: PATCH/PUT/DELETE/POST answer 404 (or 405 on the list) problem+json', async () => {
    const [entry] = (await audit('limit=1')).data;
    for (const [method, path] of [
      ['PATCH', `/v1/audit-logs/${entry.id}`],
      ['PUT', `/v1/audit-logs/${entry.id}`],
      ['DELETE', `/v1/audit-logs/${entry.id}`],
      ['DELETE', `/v1/audit-logs/${RANDOM_UUID}`],
      ['DELETE', '/v1/audit-logs'],
      ['POST', '/v1/audit-logs'],
      ['GET', `/v1/audit-logs/${entry.id}/delete`],
    ]) {
      const res = await fetch(`${api.url}${path}`, { method, headers: t.headers('owner'), body: method === 'GET' || method === 'DELETE' ? undefined : JSON.stringify({ action: 'x' }) });
      expect(res.headers.get('content-type')).toMatch(PROBLEM);
      if (path === '/v1/audit-logs') {
        // The list exists, for reading only.
        expect(res.status).toBe(405);
        expect(res.headers.get('allow')).toBe('GET, HEAD');
        continue;
      }
      expect(res.status).toBe(404);
      expect((await res.json()).detail).toBe(`No route matches ${method} ${path}.`);
    }
    // Still there, unchanged.
    const again = (await audit('limit=100')).data.find((e) => e.id === entry.id);
    expect(again).toEqual(entry);
  });
});
