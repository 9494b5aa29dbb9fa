import { randomBytes } from 'node:crypto';
import { adminHeaders, startApi, type RunningApi } from '../support/processes';
import { createTenant, login, PASSWORD, type TenantSession } from '../support/tenants';
import { bearer, client, expectProblem, expectStatus, RANDOM_UUID, type HttpResult } from '../support/http';

const SCIM = /^application\/scim\+json/;
const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';

describe('SCIM 2.0 provisioning', () => {
  let api: RunningApi;
  let c: ReturnType<typeof client>;
  let acme: TenantSession;
  let globex: TenantSession;
  let acmeToken: string;
  let globexToken: string;
  const suffix = randomBytes(3).toString('hex');
  const email = (name: string) => `${name}.${suffix}@scim-acme.example`;

  const scim = (token: string, extra: Record<string, string> = {}) => bearer(token, { 'content-type': 'application/scim+json', ...extra });
  const expectScimError = (res: HttpResult, status: number, scimType?: string) => {
    if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${res.text}`);
    expect(res.headers.get('content-type')).toMatch(SCIM);
    expect(res.body).toMatchObject({ schemas: [ERROR_SCHEMA], status: String(status), ...(scimType ? { scimType } : {}) });
    expect(typeof res.body.detail).toBe('string');
    return res.body;
  };
  const newUser = (name: string, extra: Record<string, unknown> = {}) => ({
    schemas: [USER_SCHEMA],
    userName: email(name),
    name: { givenName: name, familyName: 'Directory' },
    externalId: `ext-${name}`,
    active: true,
    ...extra,
  });

  beforeAll(async () => {
    api = await startApi({ RATE_LIMIT_AUTH_PER_MINUTE: '1000' });
    c = client(api.url);
    [acme, globex] = [await createTenant(api.url, 'scimacme'), await createTenant(api.url, 'scimglobex')];
    acmeToken = expectStatus(await c.post('/v1/tenant/scim-token', undefined, acme.headers('owner')), 201).token;
    globexToken = expectStatus(await c.post('/v1/tenant/scim-token', undefined, globex.headers('admin')), 201).token;
  });
  afterAll(async () => {
    await api?.stop();
  });

  describe('the token', () => {
    it('is shown once, at creation; the listing has only its prefix and the SCIM base URL', async () => {
      const shown = expectStatus(await c.get('/v1/tenant/scim-token', acme.headers('admin')), 200);
      expect(shown).toMatchObject({ prefix: acmeToken.slice(0, 16), scimBaseUrl: `${api.url}/v1/scim/v2` });
      expect(JSON.stringify(shown)).not.toContain(acmeToken.slice(17));
      expect(shown.token).toBeUndefined();
    });

    it('is managed by owners and admins only, never by an API key', async () => {
      for (const role of ['agent', 'technician', 'viewer'] as const) expectProblem(await c.post('/v1/tenant/scim-token', undefined, acme.headers(role)), 403);
      expectProblem(await c.post('/v1/tenant/scim-token', undefined, bearer(acme.apiKeys.full)), 403);
    });

    it('rotation stops the old token at once; revocation stops provisioning; both audited', async () => {
      const tenant = await createTenant(api.url, 'scimrot');
      const first = expectStatus(await c.post('/v1/tenant/scim-token', undefined, tenant.headers('owner')), 201).token;
      expectStatus(await c.get('/v1/scim/v2/Users', scim(first)), 200);
      const second = expectStatus(await c.post('/v1/tenant/scim-token', undefined, tenant.headers('owner')), 201).token;
      expectScimError(await c.get('/v1/scim/v2/Users', scim(first)), 401);
      expectStatus(await c.get('/v1/scim/v2/Users', scim(second)), 200);
      expectStatus(await c.delete('/v1/tenant/scim-token', tenant.headers('owner')), 204);
      expectScimError(await c.get('/v1/scim/v2/Users', scim(second)), 401);
      expectProblem(await c.get('/v1/tenant/scim-token', tenant.headers('owner')), 404);
      expectProblem(await c.delete('/v1/tenant/scim-token', tenant.headers('owner')), 404);
      const actions = expectStatus(await c.get('/v1/audit-logs?entityType=scim_token&limit=100', tenant.headers('owner')), 200).data.map((e: { action: string }) => e.action);
      expect(actions.sort()).toEqual(['scim_token.created', 'scim_token.revoked', 'scim_token.rotated']);
    });

    it('refuses anything else as a SCIM credential with a SCIM 401', async () => {
      for (const headers of [{}, bearer(acme.tokens.owner), bearer(acme.apiKeys.full), bearer(`sb_scim_AAAAAAAA_${'x'.repeat(43)}`), bearer(`${acmeToken}x`), { authorization: acmeToken }]) {
        const res = await c.get('/v1/scim/v2/Users', headers);
        expectScimError(res, 401);
        expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      }
    });
  });

  describe('Users', () => {
    let ada: any;

    it('creates a user: 201 with Location and meta; the person is a member with the provisioning role (viewer)', async () => {
      const res = await c.post('/v1/scim/v2/Users', newUser('ada'), scim(acmeToken));
      ada = expectStatus(res, 201);
      expect(res.headers.get('content-type')).toMatch(SCIM);
      expect(ada).toMatchObject({ schemas: [USER_SCHEMA], userName: email('ada'), externalId: 'ext-ada', active: true, name: { givenName: 'ada', familyName: 'Directory' } });
      expect(res.headers.get('location')).toBe(`${api.url}/v1/scim/v2/Users/${ada.id}`);
      expect(ada.meta).toMatchObject({ resourceType: 'User', location: `${api.url}/v1/scim/v2/Users/${ada.id}` });
      const members = expectStatus(await c.get('/v1/members', acme.headers('owner')), 200).data;
      expect(members.find((m: { email: string }) => m.email === email('ada'))).toMatchObject({ role: 'viewer' });
      expect(expectStatus(await c.get(`/v1/scim/v2/Users/${ada.id}`, scim(acmeToken)), 200)).toEqual(ada);
    });

    it('refuses a duplicate userName (409 uniqueness) and malformed users (400), creating nothing', async () => {
      expectScimError(await c.post('/v1/scim/v2/Users', newUser('ada'), scim(acmeToken)), 409, 'uniqueness');
      expectScimError(await c.post('/v1/scim/v2/Users', { ...newUser('x'), userName: 'not-an-email' }, scim(acmeToken)), 400, 'invalidValue');
      expectScimError(await c.post('/v1/scim/v2/Users', { schemas: [USER_SCHEMA] }, scim(acmeToken)), 400, 'invalidValue');
      expectScimError(await c.post('/v1/scim/v2/Users', newUser('y', { active: 'maybe' }), scim(acmeToken)), 400, 'invalidValue');
      expectScimError(await c.post('/v1/scim/v2/Users', newUser('z', { displayName: 'd'.repeat(500) }), scim(acmeToken)), 400, 'invalidValue');
      expectScimError(await c.post('/v1/scim/v2/Users', [newUser('w')], scim(acmeToken)), 400);
      const malformed = await c.post('/v1/scim/v2/Users', '{"userName": ', scim(acmeToken));
      expect(malformed.status).toBe(400);
      const list = expectStatus(await c.get('/v1/scim/v2/Users', scim(acmeToken)), 200);
      expect(list.Resources.map((r: { userName: string }) => r.userName)).toEqual([email('ada')]);
    });

    it('lists with filters and paging (ListResponse)', async () => {
      for (const name of ['bob', 'cy', 'dee']) expectStatus(await c.post('/v1/scim/v2/Users', newUser(name), scim(acmeToken)), 201);
      const all = expectStatus(await c.get('/v1/scim/v2/Users', scim(acmeToken)), 200);
      expect(all).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: 4, startIndex: 1, itemsPerPage: 4 });
      const byName = expectStatus(await c.get(`/v1/scim/v2/Users?filter=${encodeURIComponent(`userName eq "${email('bob')}"`)}`, scim(acmeToken)), 200);
      expect(byName.totalResults).toBe(1);
      expect(byName.Resources[0].userName).toBe(email('bob'));
      const byExternal = expectStatus(await c.get(`/v1/scim/v2/Users?filter=${encodeURIComponent('externalId eq "ext-cy" or externalId eq "ext-dee"')}`, scim(acmeToken)), 200);
      expect(byExternal.Resources.map((r: { externalId: string }) => r.externalId).sort()).toEqual(['ext-cy', 'ext-dee']);
      const none = expectStatus(await c.get(`/v1/scim/v2/Users?filter=${encodeURIComponent('userName eq "nobody@nowhere.example"')}`, scim(acmeToken)), 200);
      expect(none).toMatchObject({ totalResults: 0, itemsPerPage: 0, Resources: [] });
      const page = expectStatus(await c.get('/v1/scim/v2/Users?startIndex=2&count=2', scim(acmeToken)), 200);
      expect(page).toMatchObject({ totalResults: 4, startIndex: 2, itemsPerPage: 2 });
      expect(page.Resources.map((r: { id: string }) => r.id)).toEqual(all.Resources.slice(1, 3).map((r: { id: string }) => r.id));
      expect(expectStatus(await c.get('/v1/scim/v2/Users?startIndex=0&count=-5', scim(acmeToken)), 200)).toMatchObject({ startIndex: 1, itemsPerPage: 0, totalResults: 4 });
      expectScimError(await c.get(`/v1/scim/v2/Users?filter=${encodeURIComponent('userName eq')}`, scim(acmeToken)), 400, 'invalidFilter');
      expectScimError(await c.get('/v1/scim/v2/Users?count=abc', scim(acmeToken)), 400, 'invalidValue');
      expectScimError(await c.get('/v1/scim/v2/Users?count=1&count=2', scim(acmeToken)), 400, 'invalidValue');
    });

    it('patches per RFC 7644: replace names, add externalId, with Entra-style capitalised ops', async () => {
      const patched = expectStatus(
        await c.patch(
          `/v1/scim/v2/Users/${ada.id}`,
          {
            schemas: [PATCH_SCHEMA],
            Operations: [
              { op: 'Replace', path: 'name.givenName', value: 'Augusta' },
              { op: 'replace', value: { displayName: 'Augusta Ada King' } },
              { op: 'add', path: 'externalId', value: 'ext-ada-2' },
            ],
          },
          scim(acmeToken),
        ),
        200,
      );
      expect(patched).toMatchObject({ name: { givenName: 'Augusta', familyName: 'Directory' }, displayName: 'Augusta Ada King', externalId: 'ext-ada-2', active: true });
      expect(patched.meta.version).not.toBe(ada.meta.version);
      expectScimError(await c.patch(`/v1/scim/v2/Users/${ada.id}`, { Operations: [{ op: 'replace', path: 'displayName', value: 'x' }] }, scim(acmeToken)), 400, 'invalidSyntax');
      expectScimError(await c.patch(`/v1/scim/v2/Users/${ada.id}`, { schemas: [PATCH_SCHEMA], Operations: [{ op: 'explode', path: 'displayName' }] }, scim(acmeToken)), 400, 'invalidSyntax');
      expectScimError(await c.patch(`/v1/scim/v2/Users/${ada.id}`, { schemas: [PATCH_SCHEMA], Operations: [{ op: 'replace', path: 'userName', value: 'someone.else@scim-acme.example' }] }, scim(acmeToken)), 400, 'mutability');
      expectScimError(await c.patch(`/v1/scim/v2/Users/${ada.id}`, { schemas: [PATCH_SCHEMA], Operations: [{ op: 'replace', path: 'active', value: 'sometimes' }] }, scim(acmeToken)), 400, 'invalidValue');
      // Nothing of the refused patches stuck.
      expect(expectStatus(await c.get(`/v1/scim/v2/Users/${ada.id}`, scim(acmeToken)), 200)).toEqual(patched);
    });

    it('deactivation ends the membership, the sessions and the API keys the person created; reactivation restores access', async () => {
      // A person who also works for globex (with a password there) is provisioned into acme and made an admin.
      const eve = email('eve');
      expectStatus(await c.post(`/v1/admin/tenants/${globex.tenant.id}/members`, { email: eve, name: 'Eve', password: PASSWORD, role: 'agent' }, adminHeaders()), 201);
      const provisioned = expectStatus(await c.post('/v1/scim/v2/Users', newUser('eve'), scim(acmeToken)), 201);
      const membership = expectStatus(await c.get('/v1/members', acme.headers('owner')), 200).data.find((m: { email: string }) => m.email === eve);
      expectStatus(await c.patch(`/v1/members/${membership.id}`, { role: 'admin' }, acme.headers('owner')), 200);
      const session = await login(api.url, eve, PASSWORD, acme.tenant.slug);
      expect(session.tenant.id).toBe(acme.tenant.id);
      const key = expectStatus(await c.post('/v1/api-keys', { name: 'eve-key', scopes: ['tickets:read'] }, bearer(session.accessToken, { 'content-type': 'application/json' })), 201).key;
      expectStatus(await c.get('/v1/me', bearer(key)), 200);
      expectStatus(await c.get('/v1/me', bearer(session.accessToken)), 200);

      const off = expectStatus(
        await c.patch(`/v1/scim/v2/Users/${provisioned.id}`, { schemas: [PATCH_SCHEMA], Operations: [{ op: 'replace', path: 'active', value: false }] }, scim(acmeToken)),
        200,
      );
      expect(off.active).toBe(false);
      // Everything of acme ends at once: the access token, the refresh token, the API key.
      expectProblem(await c.get('/v1/me', bearer(session.accessToken)), 401);
      expectProblem(await c.post('/v1/auth/refresh', { refreshToken: session.refreshToken }), 401);
      expectProblem(await c.get('/v1/me', bearer(key)), 401);
      expectProblem(await c.post('/v1/auth/login', { email: eve, password: PASSWORD, tenant: acme.tenant.slug }), 401);
      const members = expectStatus(await c.get('/v1/members', acme.headers('owner')), 200).data.map((m: { email: string }) => m.email);
      expect(members).not.toContain(eve);
      // The SCIM record stays, inactive, as directories expect.
      expect(expectStatus(await c.get(`/v1/scim/v2/Users/${provisioned.id}`, scim(acmeToken)), 200).active).toBe(false);
      // Globex is untouched.
      expect((await login(api.url, eve, PASSWORD, globex.tenant.slug)).tenant.id).toBe(globex.tenant.id);
      const audit = expectStatus(await c.get('/v1/audit-logs?limit=100', acme.headers('owner')), 200).data.map((e: { action: string }) => e.action);
      expect(audit).toEqual(expect.arrayContaining(['scim.user_deactivated', 'member.removed', 'api_key.revoked', 'scim.user_created']));

      // Back on (PUT with active true): a member again, with the provisioning role.
      const on = expectStatus(await c.put(`/v1/scim/v2/Users/${provisioned.id}`, newUser('eve', { active: true }), scim(acmeToken)), 200);
      expect(on.active).toBe(true);
      const again = expectStatus(await c.get('/v1/members', acme.headers('owner')), 200).data.find((m: { email: string }) => m.email === eve);
      expect(again.role).toBe('viewer');
      expect((await login(api.url, eve, PASSWORD, acme.tenant.slug)).tenant.id).toBe(acme.tenant.id);
    });

    it('DELETE deprovisions: access ends and the record is gone (404 after)', async () => {
      const fay = expectStatus(await c.post('/v1/scim/v2/Users', newUser('fay'), scim(acmeToken)), 201);
      expectStatus(await c.delete(`/v1/scim/v2/Users/${fay.id}`, scim(acmeToken)), 204);
      expectScimError(await c.get(`/v1/scim/v2/Users/${fay.id}`, scim(acmeToken)), 404);
      expectScimError(await c.delete(`/v1/scim/v2/Users/${fay.id}`, scim(acmeToken)), 404);
      const members = expectStatus(await c.get('/v1/members', acme.headers('owner')), 200).data.map((m: { email: string }) => m.email);
      expect(members).not.toContain(email('fay'));
    });

    it('refuses to deactivate the tenant’s last owner', async () => {
      const tenant = await createTenant(api.url, 'scimowner');
      const token = expectStatus(await c.post('/v1/tenant/scim-token', undefined, tenant.headers('owner')), 201).token;
      const owner = expectStatus(await c.post('/v1/scim/v2/Users', { schemas: [USER_SCHEMA], userName: tenant.users.owner.email }, scim(token)), 201);
      expectScimError(await c.patch(`/v1/scim/v2/Users/${owner.id}`, { schemas: [PATCH_SCHEMA], Operations: [{ op: 'replace', path: 'active', value: false }] }, scim(token)), 400, 'mutability');
      expect(expectStatus(await c.get('/v1/me', tenant.headers('owner')), 200).role).toBe('owner');
    });

    it('another tenant’s token cannot see, change or delete this tenant’s users (404), and lists only its own', async () => {
      for (const res of [
        await c.get(`/v1/scim/v2/Users/${ada.id}`, scim(globexToken)),
        await c.put(`/v1/scim/v2/Users/${ada.id}`, newUser('ada', { active: false }), scim(globexToken)),
        await c.patch(`/v1/scim/v2/Users/${ada.id}`, { schemas: [PATCH_SCHEMA], Operations: [{ op: 'replace', path: 'active', value: false }] }, scim(globexToken)),
        await c.delete(`/v1/scim/v2/Users/${ada.id}`, scim(globexToken)),
      ]) {
        expectScimError(res, 404);
      }
      expect(expectStatus(await c.get('/v1/scim/v2/Users', scim(globexToken)), 200).totalResults).toBe(0);
      expect(expectStatus(await c.get(`/v1/scim/v2/Users/${ada.id}`, scim(acmeToken)), 200).active).toBe(true);
      expectScimError(await c.get(`/v1/scim/v2/Users/${RANDOM_UUID}`, scim(acmeToken)), 404);
      expectScimError(await c.get('/v1/scim/v2/Users/not-a-uuid', scim(acmeToken)), 404);
    });
  });

  describe('discovery', () => {
    it('serves ServiceProviderConfig, ResourceTypes and Schemas (User and Group)', async () => {
      const config = expectStatus(await c.get('/v1/scim/v2/ServiceProviderConfig'), 200);
      expect(config).toMatchObject({ patch: { supported: true }, filter: { supported: true, maxResults: 100 }, bulk: { supported: false } });
      const types = expectStatus(await c.get('/v1/scim/v2/ResourceTypes'), 200);
      expect(types.Resources.map((r: { name: string }) => r.name)).toEqual(['User', 'Group']);
      const schemas = expectStatus(await c.get('/v1/scim/v2/Schemas'), 200);
      expect(schemas.Resources[0].id).toBe(USER_SCHEMA);
      expect(schemas.Resources[1].id).toBe(GROUP_SCHEMA);
      expectStatus(await c.get('/v1/scim/v2/Groups', scim(acmeToken)), 200);
    });
  });

  describe('groups (ticket groups)', () => {
    /** A user provisioned through SCIM and made an agent (groups hold people who work tickets). */
    const provisionAgent = async (name: string) => {
      const user = expectStatus(await c.post('/v1/scim/v2/Users', newUser(name), scim(acmeToken)), 201);
      const members = expectStatus(await c.get('/v1/members?limit=100', acme.headers('owner')), 200).data as { id: string; userId: string; email: string }[];
      const membership = members.find((m) => m.email === email(name))!;
      expectStatus(await c.patch(`/v1/members/${membership.id}`, { role: 'agent' }, acme.headers('owner')), 200);
      return { id: user.id as string, userId: membership.userId };
    };
    const memberValues = (g: { members: { value: string }[] }) => g.members.map((m) => m.value).sort();

    it('creates a ticket group with members, lists and filters it, and the app sees the group and its members', async () => {
      const [ada, bob] = [await provisionAgent('grp-ada'), await provisionAgent('grp-bob')];
      const created = await c.post('/v1/scim/v2/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Tier 2', members: [{ value: ada.id }, { value: bob.id }] }, scim(acmeToken));
      const group = expectStatus(created, 201);
      expect(created.headers.get('content-type')).toMatch(SCIM);
      expect(created.headers.get('location')).toBe(`${api.url}/v1/scim/v2/Groups/${group.id}`);
      expect(group).toMatchObject({ schemas: [GROUP_SCHEMA], displayName: 'Tier 2', meta: { resourceType: 'Group' } });
      expect(memberValues(group)).toEqual([ada.id, bob.id].sort());

      const inApp = expectStatus(await c.get(`/v1/groups/${group.id}`, acme.headers('agent')), 200);
      expect(inApp).toMatchObject({ name: 'Tier 2', memberCount: 2 });
      const filtered = expectStatus(await c.get(`/v1/scim/v2/Groups?filter=${encodeURIComponent('displayName eq "Tier 2"')}`, scim(acmeToken)), 200);
      expect(filtered).toMatchObject({ totalResults: 1, Resources: [{ id: group.id }] });
      const lean = expectStatus(await c.get(`/v1/scim/v2/Groups?excludedAttributes=members`, scim(acmeToken)), 200);
      expect(lean.Resources.every((r: { members: unknown[] }) => r.members.length === 0)).toBe(true);
      expectScimError(await c.post('/v1/scim/v2/Groups', { schemas: [GROUP_SCHEMA], displayName: 'tier 2' }, scim(acmeToken)), 409, 'uniqueness');
    });

    it('patches members the way Okta and Entra ID do, and renames; PUT replaces the directory’s members', async () => {
      const [cy, di] = [await provisionAgent('grp-cy'), await provisionAgent('grp-di')];
      const group = expectStatus(await c.post('/v1/scim/v2/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Night shift', members: [{ value: cy.id }] }, scim(acmeToken)), 201);
      const added = expectStatus(await c.patch(`/v1/scim/v2/Groups/${group.id}`, { schemas: [PATCH_SCHEMA], Operations: [{ op: 'Add', path: 'members', value: [{ value: di.id }] }] }, scim(acmeToken)), 200);
      expect(memberValues(added)).toEqual([cy.id, di.id].sort());
      const removed = expectStatus(await c.patch(`/v1/scim/v2/Groups/${group.id}`, { schemas: [PATCH_SCHEMA], Operations: [{ op: 'remove', path: `members[value eq "${cy.id}"]` }] }, scim(acmeToken)), 200);
      expect(memberValues(removed)).toEqual([di.id]);
      const renamed = expectStatus(await c.patch(`/v1/scim/v2/Groups/${group.id}`, { schemas: [PATCH_SCHEMA], Operations: [{ op: 'replace', value: { displayName: 'Late shift' } }] }, scim(acmeToken)), 200);
      expect(renamed.displayName).toBe('Late shift');
      // A member added in the app stays: the directory manages only the people it provisioned.
      expectStatus(await c.put(`/v1/groups/${group.id}/members/${acme.users.agent.userId}`, undefined, acme.headers('admin')), 204);
      const replaced = expectStatus(await c.put(`/v1/scim/v2/Groups/${group.id}`, { schemas: [GROUP_SCHEMA], displayName: 'Late shift', members: [{ value: cy.id }] }, scim(acmeToken)), 200);
      expect(memberValues(replaced)).toEqual([cy.id]);
      const appMembers = expectStatus(await c.get(`/v1/groups/${group.id}/members`, acme.headers('agent')), 200).data.map((m: { userId: string }) => m.userId);
      expect(appMembers.sort()).toEqual([acme.users.agent.userId, cy.userId].sort());
      const audit = expectStatus(await c.get(`/v1/audit-logs?entityId=${group.id}&limit=100`, acme.headers('owner')), 200).data.map((e: { action: string }) => e.action);
      expect(audit).toEqual(expect.arrayContaining(['ticket_group.created', 'ticket_group.member_added', 'ticket_group.member_removed', 'ticket_group.updated']));
    });

    it('refuses members who are not provisioned working users, and bad bodies, in SCIM’s error shape', async () => {
      const viewer = expectStatus(await c.post('/v1/scim/v2/Users', newUser('grp-viewer'), scim(acmeToken)), 201);
      expectScimError(await c.post('/v1/scim/v2/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Viewers', members: [{ value: viewer.id }] }, scim(acmeToken)), 400, 'invalidValue');
      expectScimError(await c.post('/v1/scim/v2/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Ghosts', members: [{ value: RANDOM_UUID }] }, scim(acmeToken)), 400, 'invalidValue');
      expectScimError(await c.post('/v1/scim/v2/Groups', { schemas: [GROUP_SCHEMA], displayName: '' }, scim(acmeToken)), 400, 'invalidValue');
      expectScimError(await c.post('/v1/scim/v2/Groups', { schemas: [USER_SCHEMA], displayName: 'Wrong' }, scim(acmeToken)), 400);
      expectScimError(await c.patch(`/v1/scim/v2/Groups/${RANDOM_UUID}`, { schemas: [PATCH_SCHEMA], Operations: [{ op: 'add', path: 'members', value: [] }] }, scim(acmeToken)), 404);
      expectScimError(await c.get('/v1/scim/v2/Groups/not-a-uuid', scim(acmeToken)), 404);
      expectScimError(await c.get('/v1/scim/v2/Groups', bearer(acme.apiKeys.full)), 401);
    });

    it('deletes a group without unsolved tickets; another tenant’s token sees none of it', async () => {
      const group = expectStatus(await c.post('/v1/scim/v2/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Temporary' }, scim(acmeToken)), 201);
      expectScimError(await c.get(`/v1/scim/v2/Groups/${group.id}`, scim(globexToken)), 404);
      expectScimError(await c.patch(`/v1/scim/v2/Groups/${group.id}`, { schemas: [PATCH_SCHEMA], Operations: [{ op: 'replace', value: { displayName: 'Taken' } }] }, scim(globexToken)), 404);
      expectScimError(await c.delete(`/v1/scim/v2/Groups/${group.id}`, scim(globexToken)), 404);
      expect(expectStatus(await c.get('/v1/scim/v2/Groups', scim(globexToken)), 200).Resources.map((r: { id: string }) => r.id)).not.toContain(group.id);

      const ticket = expectStatus(await c.post('/v1/tickets', { subject: 'Busy', requester: { email: 'r@example.com' }, groupId: group.id }, acme.headers('agent')), 201);
      expectScimError(await c.delete(`/v1/scim/v2/Groups/${group.id}`, scim(acmeToken)), 409);
      expectStatus(await c.patch(`/v1/tickets/${ticket.id}`, { status: 'solved' }, acme.headers('agent', { 'if-match': `W/"${ticket.version}"` })), 200);
      expectStatus(await c.delete(`/v1/scim/v2/Groups/${group.id}`, scim(acmeToken)), 204);
      expectScimError(await c.get(`/v1/scim/v2/Groups/${group.id}`, scim(acmeToken)), 404);
    });
  });
});
