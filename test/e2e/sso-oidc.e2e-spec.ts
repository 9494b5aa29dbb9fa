import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { adminHeaders, startApi, type RunningApi } from '../support/processes';
import { Browser, startForgingIdp, startOidcProvider } from '../support/sso-idp';
import { createTenant, login, PASSWORD, type TenantSession } from '../support/tenants';
import { bearer, client, expectProblem, expectStatus, PROBLEM } from '../support/http';

const CLIENT_ID = 'switchboard-e2e';
const CLIENT_SECRET = 'idp-client-secret-that-must-never-come-back';

describe('single sign-on with OpenID Connect', () => {
  let api: RunningApi;
  let c: ReturnType<typeof client>;
  let acme: TenantSession;
  let globex: TenantSession;
  let rogue: TenantSession;
  let idp: Awaited<ReturnType<typeof startOidcProvider>>;
  let forger: Awaited<ReturnType<typeof startForgingIdp>>;
  const suffix = randomBytes(3).toString('hex');
  const acmeDomain = `acme-${suffix}.example`;
  const globexDomain = `globex-${suffix}.example`;
  const rogueDomain = `rogue-${suffix}.example`;

  const settings = (issuer: string, domains: string[], extra: Record<string, unknown> = {}) => ({ issuer, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, domains, ...extra });

  beforeAll(async () => {
    api = await startApi({ RATE_LIMIT_AUTH_PER_MINUTE: '1000', SSO_ALLOW_PRIVATE_ISSUERS: 'true' });
    c = client(api.url);
    const redirectUri = `${api.url}/v1/auth/sso/oidc/callback`;
    idp = await startOidcProvider({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri });
    forger = await startForgingIdp(CLIENT_ID);
    [acme, globex, rogue] = [await createTenant(api.url, 'ssoacme'), await createTenant(api.url, 'ssoglobex'), await createTenant(api.url, 'ssorogue')];
    expectStatus(await c.put('/v1/tenant/sso', settings(idp.issuer, [acmeDomain], { defaultRole: 'agent' }), acme.headers('owner')), 200);
    expectStatus(await c.put('/v1/tenant/sso', settings(idp.issuer, [globexDomain], { jitProvisioning: false }), globex.headers('admin')), 200);
    expectStatus(await c.put('/v1/tenant/sso', settings(forger.issuer, [rogueDomain]), rogue.headers('owner')), 200);
  });
  afterAll(async () => {
    await idp?.stop();
    await forger?.stop();
    await api?.stop();
  });

  /** Browser: start at the api, through the IdP, back to the api's callback; returns where the api sends the browser last. */
  async function signIn(browser: Browser, slug: string): Promise<URL> {
    const started = await browser.get(`${api.url}/v1/auth/sso/${slug}/start`);
    expect(started.status).toBe(302);
    const callback = await browser.follow(started.location!, `${api.url}/v1/auth/sso/oidc/callback`);
    const done = await browser.get(callback);
    expect(done.status).toBe(302);
    return new URL(done.location!);
  }

  const fragment = (url: URL) => new URLSearchParams(url.hash.slice(1));

  async function auditActions(s: TenantSession, action: string): Promise<any[]> {
    return expectStatus(await c.get(`/v1/audit-logs?action=${action}&limit=100`, s.headers('owner')), 200).data;
  }

  describe('settings', () => {
    it('shows the settings with the redirect URI to register, never the client secret', async () => {
      const res = await c.get('/v1/tenant/sso', acme.headers('admin'));
      const body = expectStatus(res, 200);
      expect(body).toMatchObject({ protocol: 'oidc', enabled: true, issuer: idp.issuer, clientId: CLIENT_ID, clientSecretSet: true, domains: [acmeDomain], defaultRole: 'agent', ssoOnly: false });
      expect(body.redirectUri).toBe(`${api.url}/v1/auth/sso/oidc/callback`);
      expect(body.startUrl).toBe(`${api.url}/v1/auth/sso/${acme.tenant.slug}/start`);
      expect(res.text).not.toContain(CLIENT_SECRET);
      expect(res.headers.get('etag')).toBe(`W/"${body.version}"`);
      const audit = await auditActions(acme, 'sso.configured');
      expect(audit).toHaveLength(1);
      expect(JSON.stringify(audit)).not.toContain(CLIENT_SECRET);
    });

    it('is for owners and admins only; another tenant sees only its own (404 when it has none)', async () => {
      for (const role of ['agent', 'technician', 'viewer'] as const) expectProblem(await c.get('/v1/tenant/sso', acme.headers(role)), 403);
      expectProblem(await c.put('/v1/tenant/sso', settings(idp.issuer, [acmeDomain]), acme.headers('agent')), 403);
      expectProblem(await c.get('/v1/tenant/sso', bearer(acme.apiKeys.full)), 403);
      const other = await createTenant(api.url, 'ssonone');
      const none = expectProblem(await c.get('/v1/tenant/sso', other.headers('owner')), 404);
      expect(none.detail).toMatch(/SSO connection/);
      expectProblem(await c.delete('/v1/tenant/sso', other.headers('owner')), 404);
    });

    it('refuses bad settings with 400/422 and a domain of another tenant with 409, changing nothing', async () => {
      const before = expectStatus(await c.get('/v1/tenant/sso', acme.headers('owner')), 200);
      const cases: [unknown, number][] = [
        [{ ...settings(idp.issuer, [acmeDomain]), issuer: 'ftp://x' }, 422],
        [{ ...settings(idp.issuer, [acmeDomain]), clientId: undefined }, 422],
        [{ ...settings(idp.issuer, [acmeDomain]), protocol: 'saml' }, 422],
        [{ ...settings(idp.issuer, [acmeDomain]), protocol: 'ws-fed' }, 400],
        [{ ...settings(idp.issuer, ['Not A Domain']) }, 400],
        [{ ...settings(idp.issuer, []) }, 400],
        [{ ...settings(idp.issuer, [acmeDomain]), defaultRole: 'owner' }, 400],
        [{ ...settings(idp.issuer, [acmeDomain]), surprise: true }, 400],
        [{ ...settings(idp.issuer, [acmeDomain]), breakGlassUserId: acme.users.agent.userId }, 422],
        [{ ...settings(idp.issuer, [acmeDomain]), breakGlassUserId: globex.users.owner.userId }, 422],
        [{ ...settings(idp.issuer, [acmeDomain, globexDomain]) }, 409],
        ['{"issuer": ', 400],
      ];
      for (const [body, status] of cases) {
        const res = await c.put('/v1/tenant/sso', body, acme.headers('owner'));
        expect(res.headers.get('content-type')).toMatch(PROBLEM);
        expectProblem(res, status);
      }
      expectProblem(await c.put('/v1/tenant/sso', settings(idp.issuer, [acmeDomain]), acme.headers('owner', { 'if-match': 'W/"999"' })), 412);
      expect(expectStatus(await c.get('/v1/tenant/sso', acme.headers('owner')), 200)).toEqual(before);
    });
  });

  describe('discovery', () => {
    it('finds the tenant by email domain, and answers 404 for a domain without SSO', async () => {
      const found = expectStatus(await c.post('/v1/auth/sso/discover', { email: `Someone@${acmeDomain.toUpperCase()}` }), 200);
      expect(found).toEqual({ tenant: { slug: acme.tenant.slug, name: acme.tenant.name }, protocol: 'oidc', startUrl: `/v1/auth/sso/${acme.tenant.slug}/start` });
      expectProblem(await c.post('/v1/auth/sso/discover', { email: 'someone@nowhere.example' }), 404);
      expectProblem(await c.post('/v1/auth/sso/discover', { email: 'not an email' }), 400);
    });
  });

  describe('sign-in', () => {
    it('signs a new person in just in time with the default role; the one-time code works once', async () => {
      idp.addAccount('ada', { email: `Ada@${acmeDomain}`, emailVerified: true });
      idp.loginAs('ada');
      const browser = new Browser();
      const landed = await signIn(browser, acme.tenant.slug);
      expect(`${landed.origin}${landed.pathname}`).toBe(`${api.url}/console`);
      expect(landed.search).toBe('');
      const code = fragment(landed).get('sso')!;
      expect(code).toBeTruthy();
      const session = expectStatus(await c.post('/v1/auth/sso/exchange', { code }), 200);
      expect(session).toMatchObject({ tokenType: 'Bearer', tenant: { id: acme.tenant.id, slug: acme.tenant.slug } });
      const me = expectStatus(await c.get('/v1/me', bearer(session.accessToken)), 200);
      expect(me).toMatchObject({ kind: 'user', role: 'agent', tenant: { id: acme.tenant.id }, user: { email: `ada@${acmeDomain}` } });
      // The refresh token is an ordinary one.
      expectStatus(await c.post('/v1/auth/refresh', { refreshToken: session.refreshToken }), 200);
      // Single use.
      const again = expectProblem(await c.post('/v1/auth/sso/exchange', { code }), 401);
      expect(again.type).toMatch(/sso-code-invalid$/);
      expect((await auditActions(acme, 'member.added')).some((e) => JSON.stringify(e).includes(`ada@${acmeDomain}`))).toBe(true);
      expect((await auditActions(acme, 'auth.sso_login')).length).toBeGreaterThanOrEqual(1);
      // Not a member anywhere else.
      const members = expectStatus(await c.get('/v1/members', globex.headers('owner')), 200).data;
      expect(members.some((m: { email: string }) => m.email === `ada@${acmeDomain}`)).toBe(false);
    });

    it('signs an existing member in with the role they have', async () => {
      const email = `boss@${acmeDomain}`;
      expectStatus(await c.post(`/v1/admin/tenants/${acme.tenant.id}/members`, { email, name: 'Boss', password: PASSWORD, role: 'admin' }, adminHeaders()), 201);
      const addedBefore = (await auditActions(acme, 'member.added')).length;
      idp.addAccount('boss', { email, emailVerified: true });
      idp.loginAs('boss');
      const code = fragment(await signIn(new Browser(), acme.tenant.slug)).get('sso')!;
      const session = expectStatus(await c.post('/v1/auth/sso/exchange', { code }), 200);
      expect(expectStatus(await c.get('/v1/me', bearer(session.accessToken)), 200)).toMatchObject({ role: 'admin', user: { email } });
      expect((await auditActions(acme, 'member.added')).length).toBe(addedBefore);
    });

    it('refuses a callback without the browser’s state cookie, or with another one (audited nowhere: no tenant yet)', async () => {
      idp.loginAs('ada');
      const browser = new Browser();
      const started = await browser.get(`${api.url}/v1/auth/sso/${acme.tenant.slug}/start`);
      const callback = await browser.follow(started.location!, `${api.url}/v1/auth/sso/oidc/callback`);
      const stranger = new Browser();
      const res = await stranger.get(callback);
      expect(res.status).toBe(302);
      expect(res.location).toBe(`${api.url}/console#sso_error=state-mismatch`);
      browser.setCookie(api.url, 'sb_sso_state', 'some-other-state');
      expect((await browser.get(callback)).location).toBe(`${api.url}/console#sso_error=state-mismatch`);
    });

    it('refuses a replayed callback (state already used)', async () => {
      idp.loginAs('ada');
      const browser = new Browser();
      const started = await browser.get(`${api.url}/v1/auth/sso/${acme.tenant.slug}/start`);
      const state = browser.cookie(api.url, 'sb_sso_state')!;
      const callback = await browser.follow(started.location!, `${api.url}/v1/auth/sso/oidc/callback`);
      const first = await browser.get(callback);
      expect(first.location).toMatch(/#sso=/);
      browser.setCookie(api.url, 'sb_sso_state', state);
      expect((await browser.get(callback)).location).toBe(`${api.url}/console#sso_error=state-invalid`);
    });

    it('refuses an unverified email and an email in another tenant’s domain, and audits both in the tenant', async () => {
      idp.addAccount('unverified', { email: `eve@${acmeDomain}`, emailVerified: false });
      idp.loginAs('unverified');
      expect(fragment(await signIn(new Browser(), acme.tenant.slug)).get('sso_error')).toBe('email-unverified');
      idp.addAccount('foreign', { email: `mallory@${globexDomain}`, emailVerified: true });
      idp.loginAs('foreign');
      expect(fragment(await signIn(new Browser(), acme.tenant.slug)).get('sso_error')).toBe('email-domain-not-allowed');
      const failures = await auditActions(acme, 'auth.sso_failed');
      const reasons = failures.map((f) => JSON.stringify(f));
      expect(reasons.some((r) => r.includes('email-unverified'))).toBe(true);
      expect(reasons.some((r) => r.includes('email-domain-not-allowed'))).toBe(true);
      // Nobody was created for either.
      const members = expectStatus(await c.get('/v1/members', acme.headers('owner')), 200).data.map((m: { email: string }) => m.email);
      expect(members).not.toContain(`eve@${acmeDomain}`);
      expect(members).not.toContain(`mallory@${globexDomain}`);
    });

    it('with just-in-time provisioning off, only existing members get in', async () => {
      idp.addAccount('newcomer', { email: `newcomer@${globexDomain}`, emailVerified: true });
      idp.loginAs('newcomer');
      expect(fragment(await signIn(new Browser(), globex.tenant.slug)).get('sso_error')).toBe('not-a-member');
      expect((await auditActions(globex, 'auth.sso_failed')).some((f) => JSON.stringify(f).includes('not-a-member'))).toBe(true);
    });

    it('sends an unknown tenant or one without SSO back to the console with an error code', async () => {
      expect((await new Browser().get(`${api.url}/v1/auth/sso/no-such-tenant-${suffix}/start`)).location).toBe(`${api.url}/console#sso_error=sso-not-configured`);
      const plain = await createTenant(api.url, 'ssoplain');
      expect((await new Browser().get(`${api.url}/v1/auth/sso/${plain.tenant.slug}/start`)).location).toBe(`${api.url}/console#sso_error=sso-not-configured`);
    });

    it('a malformed exchange body is a 400, an unknown code a 401', async () => {
      expectProblem(await c.post('/v1/auth/sso/exchange', {}), 400);
      expectProblem(await c.post('/v1/auth/sso/exchange', { code: 'x'.repeat(5000) }), 400);
      expectProblem(await c.post('/v1/auth/sso/exchange', { code: 'a'.repeat(43) }), 401);
    });
  });

  describe('a hostile identity provider', () => {
    it('control: the forging IdP with an honest token signs in', async () => {
      forger.forge('ok', { email: `ok@${rogueDomain}` });
      const code = fragment(await signIn(new Browser(), rogue.tenant.slug)).get('sso');
      expect(code).toBeTruthy();
      expectStatus(await c.post('/v1/auth/sso/exchange', { code }), 200);
    });

    it.each(['wrong-audience', 'expired', 'unsigned', 'other-key', 'wrong-nonce', 'wrong-issuer'] as const)('refuses an ID token that is %s, and audits it', async (mode) => {
      forger.forge(mode, { email: `victim-${mode}@${rogueDomain}` });
      expect(fragment(await signIn(new Browser(), rogue.tenant.slug)).get('sso_error')).toBe('token-invalid');
      const members = expectStatus(await c.get('/v1/members', rogue.headers('owner')), 200).data.map((m: { email: string }) => m.email);
      expect(members).not.toContain(`victim-${mode}@${rogueDomain}`);
    });

    it('refuses an email of another tenant’s domain even when verified', async () => {
      forger.forge('ok', { email: acme.users.owner.email });
      expect(fragment(await signIn(new Browser(), rogue.tenant.slug)).get('sso_error')).toBe('email-domain-not-allowed');
      forger.forge('ok', { email: `ada@${acmeDomain}` });
      expect(fragment(await signIn(new Browser(), rogue.tenant.slug)).get('sso_error')).toBe('email-domain-not-allowed');
      const failures = (await auditActions(rogue, 'auth.sso_failed')).map((f) => JSON.stringify(f));
      expect(failures.filter((f) => f.includes('token-invalid'))).toHaveLength(6);
    });
  });

  describe('SSO only', () => {
    it('refuses passwords for the tenant’s members except the break-glass owner, and accepts them again once off', async () => {
      const current = expectStatus(await c.get('/v1/tenant/sso', globex.headers('owner')), 200);
      expectStatus(
        await c.put('/v1/tenant/sso', { ...settings(idp.issuer, [globexDomain], { jitProvisioning: false }), clientSecret: undefined, ssoOnly: true, breakGlassUserId: globex.users.owner.userId }, globex.headers('owner', { 'if-match': `W/"${current.version}"` })),
        200,
      );
      const refused = expectProblem(await c.post('/v1/auth/login', { email: globex.users.agent.email, password: PASSWORD }), 403);
      expect(refused.type).toMatch(/sso-required$/);
      expect(refused.detail).toMatch(/single sign-on/);
      // A wrong password is still just a wrong password (no hint that SSO is on).
      expectProblem(await c.post('/v1/auth/login', { email: globex.users.agent.email, password: 'wrong password entirely' }), 401);
      expect((await login(api.url, globex.users.owner.email)).tenant.id).toBe(globex.tenant.id);
      // Other tenants are untouched.
      expect((await login(api.url, acme.users.agent.email)).tenant.id).toBe(acme.tenant.id);
      // An invitation joins without a password and continues with SSO, not with a session.
      const invitee = `invited.${Date.now()}@${globexDomain}`;
      expectStatus(await c.post('/v1/invitations', { email: invitee, role: 'agent' }, globex.headers('owner')), 201);
      const lines = readFileSync(join(process.env.E2E_DATA_DIR!, 'mail', 'outbox.jsonl'), 'utf8').trim().split('\n');
      const mail = lines.map((l) => JSON.parse(l) as { to: string; text: string }).filter((m) => m.to === invitee).pop()!;
      const token = /"token": "([^"]+)"/.exec(mail.text)![1]!;
      const joined = expectStatus(await c.post('/v1/invitations/accept', { token, name: 'Invited Person' }), 200);
      expect(joined).toMatchObject({ status: 'sso-required', startUrl: `/v1/auth/sso/${globex.tenant.slug}/start`, tenant: { id: globex.tenant.id } });
      expect(joined.accessToken).toBeUndefined();
      // The secret was kept (clientSecret omitted).
      expect(expectStatus(await c.get('/v1/tenant/sso', globex.headers('owner')), 200).clientSecretSet).toBe(true);
      expectStatus(await c.delete('/v1/tenant/sso', globex.headers('owner')), 204);
      expect((await login(api.url, globex.users.agent.email)).tenant.id).toBe(globex.tenant.id);
      expect((await auditActions(globex, 'sso.removed')).length).toBe(1);
      expectProblem(await c.post('/v1/auth/sso/discover', { email: `x@${globexDomain}` }), 404);
    });
  });
});
