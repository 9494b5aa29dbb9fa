import { setTimeout as sleep } from 'node:timers/promises';
import { adminHeaders, startApi, type RunningApi } from '../support/processes';
import { createTenant, login, PASSWORD, type TenantSession } from '../support/tenants';
import { bearer, client, craftJwt, expectProblem, expectStatus, PROBLEM, uniqueIp } from '../support/http';

/** Known to the test so it can forge tokens that differ from a valid one in exactly one way. */
const JWT_SECRET = 'e2e-tenancy-auth-jwt-secret-0123456789abcdef';
const OTHER_SECRET = 'some-other-secret-that-is-not-the-servers-0123';

describe('tenancy: authentication', () => {
  let api: RunningApi;
  let c: ReturnType<typeof client>;
  let acme: TenantSession;

  beforeAll(async () => {
    // Tests here log in a lot; the per-IP auth budget has its own test below.
    api = await startApi({ RATE_LIMIT_AUTH_PER_MINUTE: '1000', AUTH_JWT_SECRET: JWT_SECRET });
    c = client(api.url);
    acme = await createTenant(api.url, 'authco');
  });
  afterAll(async () => {
    await api?.stop();
  });

  const loginRaw = (email: string, password: string, extra: Record<string, string> = {}, tenant?: string) =>
    c.post('/v1/auth/login', { email, password, ...(tenant ? { tenant } : {}) }, extra);

  const claimsFor = (s: TenantSession, overrides: Record<string, unknown> = {}) => {
    const now = Math.floor(Date.now() / 1000);
    return { sub: s.users.owner.userId, tid: s.tenant.id, role: 'owner', iss: 'switchboard', aud: 'switchboard-api', iat: now, exp: now + 600, ...overrides };
  };

  it('logs in with email and password and the access token works on /me', async () => {
    const res = await loginRaw(acme.users.agent.email, PASSWORD);
    const session = expectStatus(res, 200);
    expect(session).toMatchObject({ tokenType: 'Bearer', tenant: { id: acme.tenant.id, slug: acme.tenant.slug, name: acme.tenant.name } });
    expect(typeof session.accessToken).toBe('string');
    expect(typeof session.refreshToken).toBe('string');
    expect(session.expiresIn).toBeGreaterThan(0);
    expect(res.headers.get('ratelimit-limit')).toBe('1000');
    const me = expectStatus(await c.get('/v1/me', bearer(session.accessToken)), 200);
    expect(me).toMatchObject({ kind: 'user', role: 'agent', tenant: { id: acme.tenant.id }, user: { email: acme.users.agent.email } });
  });

  it('accepts the email in any case and with surrounding spaces', async () => {
    const res = await loginRaw(`  ${acme.users.viewer.email.toUpperCase()} `, PASSWORD);
    expect(expectStatus(res, 200).tenant.id).toBe(acme.tenant.id);
  });

  it('answers a wrong password, an unknown email and a suspended tenant with the same 401', async () => {
    const suspendedCo = await createTenant(api.url, 'suspco');
    expectStatus(await c.post(`/v1/admin/tenants/${suspendedCo.tenant.id}/suspend`, undefined, adminHeaders()), 200);

    const wrongPassword = await loginRaw(acme.users.technician.email, 'not the right password at all');
    const unknownEmail = await loginRaw(`nobody.${Date.now()}@nowhere.test`, PASSWORD);
    const suspended = await loginRaw(suspendedCo.users.agent.email, PASSWORD);
    const shape = (r: typeof wrongPassword) => {
      const body = expectProblem(r, 401);
      return { type: body.type, title: body.title, status: body.status, detail: body.detail, errors: body.errors, www: r.headers.get('www-authenticate') };
    };
    const expected = shape(wrongPassword);
    expect(expected.detail).toBe('The email or password is incorrect.');
    expect(shape(unknownEmail)).toEqual(expected);
    expect(shape(suspended)).toEqual(expected);
    // Nothing in any of the three answers tells them apart (beyond the request id and path).
    const strip = (b: Record<string, unknown>) => ({ ...b, requestId: undefined });
    expect(strip(unknownEmail.body)).toEqual(strip(wrongPassword.body));
    expect(strip(suspended.body)).toEqual(strip(wrongPassword.body));
  });

  it('rejects a login body with missing or extra fields with 400', async () => {
    expectProblem(await c.post('/v1/auth/login', { email: acme.users.owner.email }), 400);
    const extra = expectProblem(await c.post('/v1/auth/login', { email: acme.users.owner.email, password: PASSWORD, role: 'owner' }), 400);
    expect(extra.errors).toEqual(expect.arrayContaining([{ field: 'role', message: 'should not exist' }]));
  });

  describe('access tokens', () => {
    it('accepts a well-formed token signed with the server key (control for the forgeries below)', async () => {
      const token = craftJwt(claimsFor(acme), JWT_SECRET);
      expect(expectStatus(await c.get('/v1/me', bearer(token)), 200).user.email).toBe(acme.users.owner.email);
    });

    const refused = async (token: string, detail?: RegExp) => {
      const res = await c.get('/v1/me', bearer(token));
      const body = expectProblem(res, 401, 'unauthorized');
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      if (detail) expect(body.detail).toMatch(detail);
      // A refused credential learns nothing about the tenant.
      expect(res.text).not.toContain(acme.tenant.id);
      return body;
    };

    it('refuses an expired token with 401 saying it expired', async () => {
      const past = Math.floor(Date.now() / 1000) - 3600;
      await refused(craftJwt(claimsFor(acme, { iat: past - 900, exp: past }), JWT_SECRET), /expired/);
    });

    it('refuses a token signed with a key the server does not use', async () => {
      await refused(craftJwt(claimsFor(acme), OTHER_SECRET), /not valid/);
    });

    it('refuses an unsigned alg:none token built by hand', async () => {
      await refused(craftJwt(claimsFor(acme), null, { alg: 'none', typ: 'JWT' }));
      await refused(craftJwt(claimsFor(acme), null, { alg: 'NONE' }));
      // alg:none with a signature segment copied from a real token.
      const real = craftJwt(claimsFor(acme), JWT_SECRET).split('.')[2];
      await refused(craftJwt(claimsFor(acme), null, { alg: 'none' }) + real);
    });

    it('refuses another HMAC algorithm, a wrong issuer or audience, and missing claims', async () => {
      await refused(craftJwt(claimsFor(acme), JWT_SECRET, { alg: 'HS512', typ: 'JWT' }));
      await refused(craftJwt(claimsFor(acme, { iss: 'someone-else' }), JWT_SECRET));
      await refused(craftJwt(claimsFor(acme, { aud: 'another-api' }), JWT_SECRET));
      await refused(craftJwt(claimsFor(acme, { tid: undefined }), JWT_SECRET));
    });

    it('refuses a validly signed token for a tenant the user is not a member of', async () => {
      const other = await createTenant(api.url, 'otherco');
      await refused(craftJwt(claimsFor(acme, { tid: other.tenant.id }), JWT_SECRET));
    });

    it('refuses garbage, a missing header and other schemes with 401 problem+json', async () => {
      for (const token of ['garbage', 'a.b.c', 'eyJhbGciOiJIUzI1NiJ9..', 'sb_live_nothing', 'sb_live_abcdefgh_' + 'x'.repeat(43)]) await refused(token);
      for (const headers of <Record<string, string>[]>[{}, { authorization: 'Bearer' }, { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }, { authorization: `Token ${acme.tokens.owner}` }]) {
        const res = await c.get('/v1/me', headers);
        expectProblem(res, 401);
        expect(res.headers.get('www-authenticate')).toMatch(/Bearer/);
      }
    });
  });

  describe('refresh tokens', () => {
    it('rotates the refresh token on every use and the new pair works', async () => {
      const first = await login(api.url, acme.users.agent.email);
      const second = expectStatus(await c.post('/v1/auth/refresh', { refreshToken: first.refreshToken }), 200);
      expect(second.refreshToken).not.toBe(first.refreshToken);
      expect(second.tenant.id).toBe(acme.tenant.id);
      expectStatus(await c.get('/v1/me', bearer(second.accessToken)), 200);
      const third = expectStatus(await c.post('/v1/auth/refresh', { refreshToken: second.refreshToken }), 200);
      expect(third.refreshToken).not.toBe(second.refreshToken);
    });

    it('reusing a rotated refresh token is a 401 and revokes the whole family', async () => {
      const first = await login(api.url, acme.users.agent.email);
      const second = expectStatus(await c.post('/v1/auth/refresh', { refreshToken: first.refreshToken }), 200);
      // The rotated one is presented again (leaked / replayed).
      expectProblem(await c.post('/v1/auth/refresh', { refreshToken: first.refreshToken }), 401, 'unauthorized');
      // …so the newest token of that sign-in is dead too.
      expectProblem(await c.post('/v1/auth/refresh', { refreshToken: second.refreshToken }), 401, 'unauthorized');
      // Another sign-in of the same user is a different family and unaffected.
      const other = await login(api.url, acme.users.agent.email);
      expectStatus(await c.post('/v1/auth/refresh', { refreshToken: other.refreshToken }), 200);
    });

    it('refuses an unknown or malformed refresh token', async () => {
      expectProblem(await c.post('/v1/auth/refresh', { refreshToken: 'not-a-token-we-issued' }), 401);
      expectProblem(await c.post('/v1/auth/refresh', {}), 400);
      expectProblem(await c.post('/v1/auth/refresh', { refreshToken: 'x'.repeat(201) }), 400);
      // An access token is not a refresh token.
      const asRefresh = await c.post('/v1/auth/refresh', { refreshToken: acme.tokens.agent });
      expect([400, 401]).toContain(asRefresh.status);
      expect(asRefresh.headers.get('content-type')).toMatch(PROBLEM);
    });
  });

  describe('logout', () => {
    it('answers 204 and the refresh token (and its rotations) stop working', async () => {
      const s = await login(api.url, acme.users.technician.email);
      const rotated = expectStatus(await c.post('/v1/auth/refresh', { refreshToken: s.refreshToken }), 200);
      const res = await c.post('/v1/auth/logout', { refreshToken: rotated.refreshToken });
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      expectProblem(await c.post('/v1/auth/refresh', { refreshToken: rotated.refreshToken }), 401);
    });

    it('is idempotent and reveals nothing for an unknown token', async () => {
      const s = await login(api.url, acme.users.technician.email);
      expect((await c.post('/v1/auth/logout', { refreshToken: s.refreshToken })).status).toBe(204);
      expect((await c.post('/v1/auth/logout', { refreshToken: s.refreshToken })).status).toBe(204);
      expect((await c.post('/v1/auth/logout', { refreshToken: 'never-issued-token' })).status).toBe(204);
    });
  });

  describe('suspended tenant', () => {
    it('refuses existing access tokens and API keys with 403 until reactivated', async () => {
      const s = await createTenant(api.url, 'susp2co');
      const refresh = await login(api.url, s.users.admin.email);
      expectStatus(await c.get('/v1/members', s.headers('owner')), 200);
      expectStatus(await c.get('/v1/members', bearer(s.apiKeys.full)), 200);

      const suspended = expectStatus(await c.post(`/v1/admin/tenants/${s.tenant.id}/suspend`, undefined, adminHeaders()), 200);
      expect(suspended.status).toBe('suspended');

      for (const token of [s.tokens.owner, s.tokens.viewer, s.apiKeys.full, s.apiKeys.readOnly]) {
        for (const path of ['/v1/me', '/v1/members']) {
          const body = expectProblem(await c.get(path, bearer(token)), 403, 'tenant-suspended');
          expect(body.detail).toMatch(/suspended/);
        }
      }
      // No new sessions while suspended.
      expectProblem(await c.post('/v1/auth/refresh', { refreshToken: refresh.refreshToken }), 401);
      expectProblem(await loginRaw(s.users.owner.email, PASSWORD), 401);

      expect(expectStatus(await c.post(`/v1/admin/tenants/${s.tenant.id}/reactivate`, undefined, adminHeaders()), 200).status).toBe('active');
      expectStatus(await c.get('/v1/me', s.headers('owner')), 200);
      expectStatus(await c.get('/v1/members', bearer(s.apiKeys.full)), 200);
      expectStatus(await loginRaw(s.users.owner.email, PASSWORD), 200);
    });
  });

  describe('account lockout', () => {
    it('locks an account after 5 failed logins in a row with 429 and Retry-After, even for the right password', async () => {
      const s = await createTenant(api.url, 'lockco');
      const email = s.users.viewer.email;
      for (let i = 0; i < 5; i++) expectProblem(await loginRaw(email, `wrong password ${i}`), 401);

      // Each failure after a lock has expired doubles the next lock (1 s, 2 s, 4 s…); drive it to
      // at least a few seconds so the checks below are well inside the lock.
      let locked: Awaited<ReturnType<typeof loginRaw>> | undefined;
      for (let attempt = 0; attempt < 12; attempt++) {
        const res = await loginRaw(email, 'still the wrong password');
        if (res.status === 429) {
          locked = res;
          const retry = Number(res.headers.get('retry-after'));
          if (retry >= 3) break;
          await sleep(retry * 1000 + 50);
        } else {
          expectProblem(res, 401);
        }
      }
      expect(locked).toBeDefined();
      const body = expectProblem(locked!, 429, 'login-locked');
      expect(body.detail).toMatch(/retry in \d+ s/);
      expect(Number(locked!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);

      const right = await loginRaw(email, PASSWORD);
      expectProblem(right, 429, 'login-locked');
      expect(Number(right.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      // The same email typed differently is the same account.
      expectProblem(await loginRaw(email.toUpperCase(), PASSWORD), 429, 'login-locked');
      // Other accounts are not affected.
      expectStatus(await loginRaw(s.users.agent.email, PASSWORD), 200);
    });

    it('counts failures for unknown emails the same way (no account enumeration)', async () => {
      const email = `ghost.${Date.now()}@nowhere.test`;
      for (let i = 0; i < 5; i++) expectProblem(await loginRaw(email, 'whatever it is'), 401);
      let status = 0;
      for (let i = 0; i < 5 && status !== 429; i++) status = (await loginRaw(email, 'whatever it is')).status;
      expect(status).toBe(429);
    });
  });

  describe('rate limits (a dedicated api with small budgets)', () => {
    let small: RunningApi;
    beforeAll(async () => {
      small = await startApi({ RATE_LIMIT_AUTH_PER_MINUTE: '3', RATE_LIMIT_API_KEY_PER_MINUTE: '3', AUTH_JWT_SECRET: JWT_SECRET });
    });
    afterAll(async () => {
      await small?.stop();
    });

    it('answers 429 with Retry-After once an IP spends its budget, and other IPs are unaffected', async () => {
      const c = client(small.url);
      const ip = uniqueIp();
      const attempt = (from: string) => c.post('/v1/auth/login', { email: `rl.${Date.now()}@nowhere.test`, password: 'wrong password!' }, { 'x-forwarded-for': from });
      let limited: Awaited<ReturnType<typeof attempt>> | undefined;
      let under = 0;
      // The window is one fixed minute; a window boundary can restart the count once.
      for (let i = 0; i < 10 && !limited; i++) {
        const res = await attempt(ip);
        if (res.status === 429) limited = res;
        else {
          expectProblem(res, 401);
          expect(res.headers.get('ratelimit-limit')).toBe('3');
          under++;
        }
      }
      expect(under).toBeGreaterThanOrEqual(3);
      expect(limited).toBeDefined();
      const body = expectProblem(limited!, 429, 'rate-limited');
      expect(body.detail).toMatch(/per IP/);
      const retryAfter = Number(limited!.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(limited!.headers.get('ratelimit-remaining')).toBe('0');
      expect(limited!.headers.get('content-type')).toMatch(PROBLEM);

      // The whole of /auth shares the budget.
      const refresh = await c.post('/v1/auth/refresh', { refreshToken: 'whatever-token' }, { 'x-forwarded-for': ip });
      expectProblem(refresh, 429, 'rate-limited');
      expect(refresh.headers.get('retry-after')).toBeTruthy();

      // Another client address has its own budget.
      expectProblem(await attempt(uniqueIp()), 401);
    });

    it('authenticated answers carry RateLimit-* headers; an API key over its budget gets 429 while users of the tenant go on', async () => {
      const c = client(small.url);
      const created = expectStatus(await c.post('/v1/api-keys', { name: 'budgeted', scopes: ['members:read'] }, acme.headers('owner')), 201);
      const first = await c.get('/v1/members', bearer(created.key));
      expectStatus(first, 200);
      expect(first.headers.get('ratelimit-limit')).toBe('3');
      expect(Number(first.headers.get('ratelimit-remaining'))).toBeLessThanOrEqual(2);
      expect(Number(first.headers.get('ratelimit-reset'))).toBeGreaterThanOrEqual(1);
      let limited: Awaited<ReturnType<typeof c.get>> | undefined;
      for (let i = 0; i < 10 && !limited; i++) {
        const res = await c.get('/v1/members', bearer(created.key));
        if (res.status === 429) limited = res;
        else expectStatus(res, 200);
      }
      expect(limited).toBeDefined();
      expect(expectProblem(limited!, 429, 'rate-limited').detail).toMatch(/API key/);
      expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      // The tenant's budget is separate and far from spent.
      const user = await c.get('/v1/members', acme.headers('owner'));
      expectStatus(user, 200);
      expect(Number(user.headers.get('ratelimit-remaining'))).toBeGreaterThan(0);
    });
  });
});
