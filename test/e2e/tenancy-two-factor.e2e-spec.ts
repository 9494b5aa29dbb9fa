import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from 'otplib';
import { adminHeaders, startApi, type RunningApi } from '../support/processes';
import { connectAgent, readyAgent, sleep } from '../support/sockets';
import { SoftAuthenticator } from '../support/soft-authenticator';
import { createTenant, login, PASSWORD, type TenantSession } from '../support/tenants';
import { bearer, client, expectProblem, expectStatus, RANDOM_UUID } from '../support/http';

const RP_ID = 'console.switchboard.test';
const ORIGIN = `https://${RP_ID}`;

/** A code of the authenticator app, `stepsAhead` 30-second steps from now. */
const totp = (secret: string, stepsAhead = 0) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + stepsAhead * 30 });

describe('tenancy: two-factor sign-in, sessions and password policy', () => {
  let api: RunningApi;
  let c: ReturnType<typeof client>;
  let acme: TenantSession;
  let globex: TenantSession;

  beforeAll(async () => {
    api = await startApi({ RATE_LIMIT_AUTH_PER_MINUTE: '1000', AUTH_WEBAUTHN_RP_ID: RP_ID, AUTH_WEBAUTHN_ORIGINS: ORIGIN });
    c = client(api.url);
    acme = await createTenant(api.url, 'mfaco');
    globex = await createTenant(api.url, 'mfaglobex');
  }, 120_000);
  afterAll(async () => {
    await api?.stop();
  });

  const json = (token: string) => bearer(token, { 'content-type': 'application/json' });
  const loginRaw = (email: string, password = PASSWORD) => c.post('/v1/auth/login', { email, password });
  const audits = async (action: string) => expectStatus(await c.get(`/v1/audit-logs?action=${action}`, bearer(acme.tokens.owner)), 200).data as any[];

  /** Enrols an authenticator app for the holder of `token`; returns its secret and recovery codes. */
  async function enrolTotp(token: string): Promise<{ secret: string; recoveryCodes: string[] }> {
    const setup = expectStatus(await c.post('/v1/me/two-factor/totp', undefined, bearer(token)), 200);
    const confirmed = expectStatus(await c.post('/v1/me/two-factor/totp/confirm', { code: await totp(setup.secret) }, json(token)), 200);
    return { secret: setup.secret, recoveryCodes: confirmed.recoveryCodes };
  }

  describe('authenticator app (TOTP)', () => {
    let secret: string;
    let confirmCode: string;
    let recoveryCodes: string[];

    it('provisions a secret with an otpauth URI and a QR code, off until a code confirms it', async () => {
      const setup = expectStatus(await c.post('/v1/me/two-factor/totp', undefined, bearer(acme.tokens.agent)), 200);
      expect(setup.secret).toMatch(/^[A-Z2-7]{32}$/);
      expect(setup.otpauthUri).toMatch(/^otpauth:\/\/totp\/.+secret=/);
      expect(decodeURIComponent(setup.otpauthUri)).toContain(acme.users.agent.email);
      expect(setup.qrCode).toMatch(/^data:image\/png;base64,/);
      secret = setup.secret;
      expect(expectStatus(await c.get('/v1/me/two-factor', bearer(acme.tokens.agent)), 200)).toMatchObject({ enabled: false, totp: false, recoveryCodesLeft: 0 });
      // Pending only: sign-in stays one step.
      expect(expectStatus(await loginRaw(acme.users.agent.email), 200).accessToken).toEqual(expect.any(String));
    });

    it('refuses a wrong confirmation code (audited), then confirms with a right one and shows ten recovery codes once', async () => {
      const wrong = expectProblem(await c.post('/v1/me/two-factor/totp/confirm', { code: '000000' === (await totp(secret)) ? '111111' : '000000' }, json(acme.tokens.agent)), 400, 'invalid-code');
      expect(wrong.errors).toEqual([{ field: 'code', message: expect.any(String) }]);
      confirmCode = await totp(secret);
      const confirmed = expectStatus(await c.post('/v1/me/two-factor/totp/confirm', { code: confirmCode }, json(acme.tokens.agent)), 200);
      expect(confirmed.recoveryCodes).toHaveLength(10);
      expect(new Set(confirmed.recoveryCodes).size).toBe(10);
      expect(confirmed.session).toBeNull();
      recoveryCodes = confirmed.recoveryCodes;
      expect(expectStatus(await c.get('/v1/me/two-factor', bearer(acme.tokens.agent)), 200)).toMatchObject({ enabled: true, totp: true, recoveryCodesLeft: 10, requiredByTenant: false });
      expectProblem(await c.post('/v1/me/two-factor/totp', undefined, bearer(acme.tokens.agent)), 409, 'totp-already-enabled');
      expect((await audits('two_factor.totp_enabled')).map((a) => a.actorId)).toContain(acme.users.agent.userId);
      expect((await audits('two_factor.totp_confirmation_failed')).map((a) => a.actorId)).toContain(acme.users.agent.userId);
    });

    it('sign-in becomes two steps: the password answers a challenge, not a session, and the challenge is no access token', async () => {
      const first = expectStatus(await loginRaw(acme.users.agent.email), 200);
      expect(first).toMatchObject({ status: 'two-factor-required', methods: expect.arrayContaining(['totp', 'recovery_code']), tenant: { id: acme.tenant.id } });
      expect(first.accessToken).toBeUndefined();
      expect(first.expiresIn).toBeGreaterThan(0);
      expectProblem(await c.get('/v1/me', bearer(first.challengeToken)), 401);
    });

    it('refuses the code already used (replay within its window), accepts a fresh one, and refuses that one again', async () => {
      const challenge = expectStatus(await loginRaw(acme.users.agent.email), 200).challengeToken;
      const replayed = expectProblem(await c.post('/v1/auth/two-factor/verify', { challengeToken: challenge, code: confirmCode }), 401, 'second-factor-invalid');
      expect(replayed.detail).toMatch(/already used/);
      const fresh = await totp(secret, 1);
      const session = expectStatus(await c.post('/v1/auth/two-factor/verify', { challengeToken: challenge, code: fresh }), 200);
      expect(session).toMatchObject({ tokenType: 'Bearer', tenant: { id: acme.tenant.id }, sessionId: expect.any(String) });
      expect(expectStatus(await c.get('/v1/me', bearer(session.accessToken)), 200).user.email).toBe(acme.users.agent.email);
      // The spent challenge is single use, and the code is too (with a new challenge).
      expectProblem(await c.post('/v1/auth/two-factor/verify', { challengeToken: challenge, code: fresh }), 401);
      const again = expectStatus(await loginRaw(acme.users.agent.email), 200).challengeToken;
      expect(expectProblem(await c.post('/v1/auth/two-factor/verify', { challengeToken: again, code: fresh }), 401, 'second-factor-invalid').detail).toMatch(/already used/);
      const logins = await audits('auth.login');
      expect(logins.find((a) => a.actorId === acme.users.agent.userId && JSON.stringify(a.changes).includes('password+totp'))).toBeDefined();
      const failures = await audits('auth.second_factor_failed');
      expect(failures.some((a) => a.actorId === acme.users.agent.userId && JSON.stringify(a.changes).includes('replayed'))).toBe(true);
    });

    it('a recovery code works once, in any case and without its dash', async () => {
      const code = recoveryCodes[0]!;
      const challenge = expectStatus(await loginRaw(acme.users.agent.email), 200).challengeToken;
      const session = expectStatus(await c.post('/v1/auth/two-factor/verify', { challengeToken: challenge, recoveryCode: code.toUpperCase().replace('-', '') }), 200);
      expectStatus(await c.get('/v1/me', bearer(session.accessToken)), 200);
      const next = expectStatus(await loginRaw(acme.users.agent.email), 200).challengeToken;
      expectProblem(await c.post('/v1/auth/two-factor/verify', { challengeToken: next, recoveryCode: code }), 401, 'second-factor-invalid');
      expect(expectStatus(await c.get('/v1/me/two-factor', bearer(session.accessToken)), 200).recoveryCodesLeft).toBe(9);
      expect((await audits('two_factor.recovery_code_used')).length).toBeGreaterThan(0);
    });

    it('answers malformed and hostile second steps with problem+json, never a 500', async () => {
      const challenge = expectStatus(await loginRaw(acme.users.agent.email), 200).challengeToken;
      expectProblem(await c.post('/v1/auth/two-factor/verify', { challengeToken: challenge }), 400, 'validation-failed');
      expectProblem(await c.post('/v1/auth/two-factor/verify', { challengeToken: challenge, code: '123456', recoveryCode: 'abcde-fghij' }), 400, 'validation-failed');
      expectProblem(await c.post('/v1/auth/two-factor/verify', { challengeToken: challenge, code: 123456 }), 400);
      expectProblem(await c.post('/v1/auth/two-factor/verify', { challengeToken: challenge, code: '1'.repeat(500) }), 400);
      expectProblem(await c.post('/v1/auth/two-factor/verify', { challengeToken: challenge, webauthn: 'nope' }), 400);
      expectProblem(await c.post('/v1/auth/two-factor/verify', { challengeToken: challenge, code: '123456', admin: true }), 400);
      expectProblem(await c.post('/v1/auth/two-factor/verify', { challengeToken: 'x'.repeat(40), code: '123456' }), 401);
      // An access token is not a challenge (another audience).
      expectProblem(await c.post('/v1/auth/two-factor/verify', { challengeToken: acme.tokens.agent, code: '123456' }), 401);
      expectProblem(await c.post('/v1/auth/two-factor/verify', 'not json', { 'content-type': 'application/json' }), 400);
      // A challenge for the other step.
      expectProblem(await c.post('/v1/auth/two-factor/totp/setup', { challengeToken: challenge }), 400, 'wrong-sign-in-step');
      // A WebAuthn answer with no key enrolled and no options requested.
      expectProblem(await c.post('/v1/auth/two-factor/verify', { challengeToken: challenge, webauthn: { id: 'x', response: {} } }), 401, 'second-factor-invalid');
    });
  });

  describe('security keys and passkeys (WebAuthn)', () => {
    const key = new SoftAuthenticator(ORIGIN, RP_ID);
    let keyId: string;

    it('registers a key: the attestation is verified against the challenge and the origin', async () => {
      const options = expectStatus(await c.post('/v1/me/two-factor/webauthn/registration-options', undefined, bearer(acme.tokens.admin)), 200);
      expect(options).toMatchObject({ rp: { id: RP_ID }, user: { name: acme.users.admin.email }, attestation: 'none', challenge: expect.any(String) });
      // From another origin: refused, and the pending challenge is spent.
      expectProblem(await c.post('/v1/me/two-factor/webauthn', { name: 'Phish', response: key.register(options, { origin: 'https://evil.test' }) }, json(acme.tokens.admin)), 400, 'webauthn-registration-failed');
      expectProblem(await c.post('/v1/me/two-factor/webauthn', { name: 'Late', response: key.register(options) }, json(acme.tokens.admin)), 400, 'webauthn-registration-failed');
      const fresh = expectStatus(await c.post('/v1/me/two-factor/webauthn/registration-options', undefined, bearer(acme.tokens.admin)), 200);
      const added = expectStatus(await c.post('/v1/me/two-factor/webauthn', { name: 'YubiKey 5C', response: key.register(fresh) }, json(acme.tokens.admin)), 201);
      expect(added.credential).toMatchObject({ id: expect.any(String), name: 'YubiKey 5C', lastUsedAt: null });
      expect(added.recoveryCodes).toHaveLength(10);
      keyId = added.credential.id;
      expect(expectStatus(await c.get('/v1/me/two-factor', bearer(acme.tokens.admin)), 200)).toMatchObject({ enabled: true, totp: false, webauthn: [{ id: keyId, name: 'YubiKey 5C' }] });
      expect((await audits('two_factor.webauthn_added')).map((a) => a.actorId)).toContain(acme.users.admin.userId);
    });

    it('signs in with the key as the second factor; a forged signature fails and counts', async () => {
      const first = expectStatus(await loginRaw(acme.users.admin.email), 200);
      expect(first.methods).toEqual(['webauthn', 'recovery_code']);
      const options = expectStatus(await c.post('/v1/auth/two-factor/webauthn/options', { challengeToken: first.challengeToken }), 200);
      expect(options.allowCredentials).toEqual([expect.objectContaining({ id: key.id })]);
      expectProblem(await c.post('/v1/auth/two-factor/verify', { challengeToken: first.challengeToken, webauthn: key.assert(options, { tamper: true }) }), 401, 'second-factor-invalid');
      // The failed attempt used up the pending options: ask again.
      const retry = expectStatus(await c.post('/v1/auth/two-factor/webauthn/options', { challengeToken: first.challengeToken }), 200);
      const session = expectStatus(await c.post('/v1/auth/two-factor/verify', { challengeToken: first.challengeToken, webauthn: key.assert(retry) }), 200);
      expect(expectStatus(await c.get('/v1/me', bearer(session.accessToken)), 200).user.email).toBe(acme.users.admin.email);
      expect(expectStatus(await c.get('/v1/me/two-factor', bearer(session.accessToken)), 200).webauthn[0].lastUsedAt).not.toBeNull();
    });

    it('another tenant’s member cannot remove the key (404), its owner can', async () => {
      expectProblem(await c.delete(`/v1/me/two-factor/webauthn/${keyId}`, bearer(globex.tokens.owner)), 404);
      expectProblem(await c.delete(`/v1/me/two-factor/webauthn/${keyId}`, bearer(acme.tokens.owner)), 404);
      expectProblem(await c.delete('/v1/me/two-factor/webauthn/not-a-uuid', bearer(acme.tokens.admin)), 400);
      expectStatus(await c.delete(`/v1/me/two-factor/webauthn/${keyId}`, bearer(acme.tokens.admin)), 204);
      expect(expectStatus(await c.get('/v1/me/two-factor', bearer(acme.tokens.admin)), 200).webauthn).toEqual([]);
    });
  });

  describe('owners require two-factor', () => {
    it('only an owner, and only one with a factor of their own, turns the requirement on', async () => {
      expectProblem(await c.put('/v1/tenant/two-factor-requirement', { requireTwoFactor: true }, json(acme.tokens.admin)), 403);
      expectProblem(await c.put('/v1/tenant/two-factor-requirement', { requireTwoFactor: true }, json(acme.tokens.agent)), 403);
      expectProblem(await c.put('/v1/tenant/two-factor-requirement', { requireTwoFactor: true }, json(acme.tokens.owner)), 409, 'two-factor-not-enabled');
      expectProblem(await c.put('/v1/tenant/two-factor-requirement', { requireTwoFactor: 'yes' }, json(acme.tokens.owner)), 400);
      await enrolTotp(acme.tokens.owner);
      expect(expectStatus(await c.put('/v1/tenant/two-factor-requirement', { requireTwoFactor: true }, json(acme.tokens.owner)), 200)).toEqual({ requireTwoFactor: true });
      const changed = await audits('tenant.two_factor_requirement_changed');
      expect(changed[0]).toMatchObject({ actorId: acme.users.owner.userId, changes: { requireTwoFactor: { from: false, to: true } } });
    });

    it('leads a member without a factor to enrol at sign-in, and enrolling completes the sign-in', async () => {
      const first = expectStatus(await loginRaw(acme.users.viewer.email), 200);
      expect(first).toMatchObject({ status: 'enrolment-required', methods: ['totp'] });
      expect(first.accessToken).toBeUndefined();
      expectProblem(await c.post('/v1/auth/two-factor/verify', { challengeToken: first.challengeToken, code: '123456' }), 400, 'wrong-sign-in-step');
      const setup = expectStatus(await c.post('/v1/auth/two-factor/totp/setup', { challengeToken: first.challengeToken }), 200);
      expectProblem(await c.post('/v1/auth/two-factor/totp/confirm', { challengeToken: first.challengeToken, code: 'abc' }), 400, 'invalid-code');
      const done = expectStatus(await c.post('/v1/auth/two-factor/totp/confirm', { challengeToken: first.challengeToken, code: await totp(setup.secret) }), 200);
      expect(done.recoveryCodes).toHaveLength(10);
      expect(done.session).toMatchObject({ accessToken: expect.any(String), tenant: { id: acme.tenant.id } });
      expect(expectStatus(await c.get('/v1/me', bearer(done.session.accessToken)), 200).user.email).toBe(acme.users.viewer.email);
      // The challenge is spent; the next sign-in asks for the new factor.
      expectProblem(await c.post('/v1/auth/two-factor/totp/setup', { challengeToken: first.challengeToken }), 409, 'totp-already-enabled');
      expect(expectStatus(await loginRaw(acme.users.viewer.email), 200).status).toBe('two-factor-required');
    });

    it('the other tenant is not affected', async () => {
      expect(expectStatus(await loginRaw(globex.users.viewer.email), 200).accessToken).toEqual(expect.any(String));
      expect(expectStatus(await c.get('/v1/me/two-factor', bearer(globex.tokens.viewer)), 200).requiredByTenant).toBe(false);
    });
  });

  describe('sessions', () => {
    it('lists a member’s sign-ins; revoking one stops its access token, refresh token and open console socket at once', async () => {
      const email = acme.users.technician.email;
      const { secret, recoveryCodes } = await enrolAtSignIn(email);
      const mine = { session: await signIn(email, { code: await totp(secret, 1) }, 'first-device') };
      const other = { session: await signIn(email, { recoveryCode: recoveryCodes[0]! }, 'second-device') };
      const list = expectStatus(await c.get('/v1/me/sessions', bearer(mine.session.accessToken)), 200).data as any[];
      expect(list.map((s) => s.id)).toEqual(expect.arrayContaining([mine.session.sessionId, other.session.sessionId]));
      expect(list.find((s) => s.id === mine.session.sessionId)).toMatchObject({ current: true, method: 'password+totp', userAgent: 'first-device', ip: expect.any(String), lastUsedAt: expect.any(String) });
      expect(list.find((s) => s.id === other.session.sessionId)).toMatchObject({ current: false, method: 'password+recovery_code', userAgent: 'second-device' });

      const socket = await readyAgent(api.url, other.session.accessToken);
      const closed = socket.next('session.expired');
      expectStatus(await c.delete(`/v1/me/sessions/${other.session.sessionId}`, bearer(mine.session.accessToken)), 204);
      expect(await closed).toMatchObject({ reason: 'credential-revoked' });
      await waitDisconnected(socket.socket);
      expectProblem(await c.get('/v1/me', bearer(other.session.accessToken)), 401);
      expectProblem(await c.post('/v1/auth/refresh', { refreshToken: other.session.refreshToken }), 401);
      expectStatus(await c.get('/v1/me', bearer(mine.session.accessToken)), 200);
      expectProblem(await c.delete(`/v1/me/sessions/${other.session.sessionId}`, bearer(mine.session.accessToken)), 404);
      expectProblem(await c.delete('/v1/me/sessions/nope', bearer(mine.session.accessToken)), 400);
      expect((await audits('auth.session_revoked')).map((a) => a.entityId)).toContain(other.session.sessionId);
      // A refresh keeps the session: same id, still listed.
      const refreshed = expectStatus(await c.post('/v1/auth/refresh', { refreshToken: mine.session.refreshToken }), 200);
      expect(refreshed.sessionId).toBe(mine.session.sessionId);
      expectStatus(await c.get('/v1/me', bearer(refreshed.accessToken)), 200);
    });

    it('a revocation on one api process reaches another at once: its cached check and its console socket', async () => {
      const api2 = await startApi({ RATE_LIMIT_AUTH_PER_MINUTE: '1000', AUTH_WEBAUTHN_RP_ID: RP_ID, AUTH_WEBAUTHN_ORIGINS: ORIGIN });
      try {
        const c2 = client(api2.url);
        const email = globex.users.admin.email;
        const a = await login(api.url, email);
        const b = await login(api2.url, email);
        // Warm api2's cache with b's session, and hold a console socket there.
        expectStatus(await c2.get('/v1/me', bearer(b.accessToken)), 200);
        expectStatus(await c2.get('/v1/me', bearer(b.accessToken)), 200);
        const socket = await readyAgent(api2.url, b.accessToken);
        const closed = socket.next('session.expired');
        const sessions = expectStatus(await c.get('/v1/me/sessions', bearer(a.accessToken)), 200).data as any[];
        expect(sessions.map((s) => s.id)).toContain((b as any).sessionId);
        expectStatus(await c.delete(`/v1/me/sessions/${(b as any).sessionId}`, bearer(a.accessToken)), 204);
        expect(await closed).toMatchObject({ reason: 'credential-revoked' });
        expectProblem(await c2.get('/v1/me', bearer(b.accessToken)), 401);
        expectStatus(await c2.get('/v1/me', bearer(a.accessToken)), 200);
      } finally {
        await api2.stop();
      }
    }, 90_000);

    it('another tenant’s sessions and members answer 404; API keys have no sessions and are not affected', async () => {
      const mine = expectStatus(await c.get('/v1/me/sessions', bearer(globex.tokens.agent)), 200).data as any[];
      expectProblem(await c.delete(`/v1/me/sessions/${mine[0].id}`, bearer(acme.tokens.owner)), 404);
      expectProblem(await c.delete(`/v1/members/${globex.users.agent.membershipId}/sessions`, bearer(acme.tokens.owner)), 404);
      expectProblem(await c.delete(`/v1/members/${RANDOM_UUID}/sessions`, bearer(acme.tokens.owner)), 404);
      expectProblem(await c.get('/v1/me/sessions', bearer(acme.apiKeys.full)), 403, 'user-credential-required');
      expectStatus(await c.get('/v1/me', bearer(globex.tokens.agent)), 200);
    });

    it('an owner ends every session of a member; admins may not', async () => {
      const socket = await readyAgent(api.url, globex.tokens.technician);
      expectProblem(await c.delete(`/v1/members/${globex.users.technician.membershipId}/sessions`, bearer(globex.tokens.admin)), 403);
      const closed = socket.next('session.expired');
      const res = expectStatus(await c.delete(`/v1/members/${globex.users.technician.membershipId}/sessions`, bearer(globex.tokens.owner)), 200);
      expect(res.revoked).toBeGreaterThanOrEqual(1);
      expect(await closed).toMatchObject({ reason: 'credential-revoked' });
      expectProblem(await c.get('/v1/me', bearer(globex.tokens.technician)), 401);
      expectStatus(await c.get('/v1/tickets', bearer(globex.apiKeys.full)), 200);
      globex.tokens.technician = (await login(api.url, globex.users.technician.email)).accessToken;
    });
  });

  describe('password change and policy', () => {
    const NEW_PASSWORD = 'a lighthouse keeper counts the waves';

    it('changing the password needs the current one, refuses weak ones, and ends every other session', async () => {
      const email = globex.users.agent.email;
      const a = await login(api.url, email);
      const b = await login(api.url, email);
      const socket = await readyAgent(api.url, b.accessToken);
      const wrong = expectProblem(await c.post('/v1/me/password', { currentPassword: 'not it at all', newPassword: NEW_PASSWORD }, json(a.accessToken)), 400, 'wrong-password');
      expect(wrong.errors).toEqual([{ field: 'currentPassword', message: 'is not correct' }]);
      for (const weak of ['Password1234', 'qwertyqwerty', 'iloveyou2024!', 'aaaaaaaaaaaaaaaa']) {
        const body = expectProblem(await c.post('/v1/me/password', { currentPassword: PASSWORD, newPassword: weak }, json(a.accessToken)), 400, 'weak-password');
        expect(body.errors[0].field).toBe('newPassword');
      }
      expectProblem(await c.post('/v1/me/password', { currentPassword: PASSWORD, newPassword: 'short' }, json(a.accessToken)), 400);
      expectProblem(await c.post('/v1/me/password', { currentPassword: PASSWORD, newPassword: PASSWORD }, json(a.accessToken)), 400, 'weak-password');
      expectProblem(await c.post('/v1/me/password', { currentPassword: PASSWORD }, json(a.accessToken)), 400);
      expectProblem(await c.post('/v1/me/password', { currentPassword: PASSWORD, newPassword: NEW_PASSWORD }, json(globex.apiKeys.full)), 403);

      const closed = socket.next('session.expired');
      expectStatus(await c.post('/v1/me/password', { currentPassword: PASSWORD, newPassword: NEW_PASSWORD }, json(a.accessToken)), 204);
      expect(await closed).toMatchObject({ reason: 'credential-revoked' });
      expectProblem(await c.get('/v1/me', bearer(b.accessToken)), 401);
      expectProblem(await c.post('/v1/auth/refresh', { refreshToken: b.refreshToken }), 401);
      expectStatus(await c.get('/v1/me', bearer(a.accessToken)), 200);
      expectProblem(await loginRaw(email), 401);
      expectStatus(await loginRaw(email, NEW_PASSWORD), 200);
      const changed = expectStatus(await c.get('/v1/audit-logs?action=auth.password_changed', bearer(globex.tokens.owner)), 200).data;
      expect(changed.map((e: any) => e.actorId)).toContain(globex.users.agent.userId);
    });

    it('refuses breached passwords wherever a password is set: tenant sign-up, new members, invitations', async () => {
      const suffix = Date.now().toString(36);
      const signup = expectProblem(
        await c.post('/v1/admin/tenants', { name: 'Weak Co', slug: `weak-${suffix}`, owner: { email: `o.${suffix}@weak.test`, name: 'O', password: 'password1234' } }, adminHeaders()),
        400,
        'weak-password',
      );
      expect(signup.errors).toEqual([{ field: 'owner.password', message: expect.stringMatching(/most common/) }]);
      expectProblem(await c.post('/v1/admin/tenants', { name: 'Weak Co', slug: `weak-${suffix}`, owner: { email: `weakling.${suffix}@weak.test`, name: 'O', password: `weakling.${suffix}!!!` } }, adminHeaders()), 400, 'weak-password');
      expectProblem(await c.post(`/v1/admin/tenants/${acme.tenant.id}/members`, { email: `m.${suffix}@weak.test`, name: 'M', password: 'monkeymonkey', role: 'agent' }, adminHeaders()), 400, 'weak-password');
      const invitee = `inv.${suffix}@weak.test`;
      expectStatus(await c.post('/v1/invitations', { email: invitee, role: 'agent' }, json(globex.tokens.owner)), 201);
      const token = lastMailTo(invitee);
      const refused = expectProblem(await c.post('/v1/invitations/accept', { token, name: 'I', password: 'baseball1234' }), 400, 'weak-password');
      expect(refused.errors[0].field).toBe('password');
      // Nothing was half-written: the invitation still works with a good password.
      expect(expectStatus(await c.post('/v1/invitations/accept', { token, name: 'I', password: NEW_PASSWORD }), 200).tenant.id).toBe(globex.tenant.id);
      // The email token is no second factor: a user who has one continues with the second step.
      expectStatus(await c.post('/v1/invitations', { email: acme.users.agent.email, role: 'viewer' }, json(globex.tokens.owner)), 201);
      const joined = expectStatus(await c.post('/v1/invitations/accept', { token: lastMailTo(acme.users.agent.email) }), 200);
      expect(joined).toMatchObject({ status: 'two-factor-required', tenant: { id: globex.tenant.id } });
      expect(joined.accessToken).toBeUndefined();
    });

    it('failed second factors count into the account lockout', async () => {
      const email = globex.users.viewer.email;
      const token = (await login(api.url, email)).accessToken;
      const { secret } = await enrolTotp(token);
      const challenge = expectStatus(await loginRaw(email), 200).challengeToken;
      const right = await totp(secret, 1);
      const wrongCode = right === '999999' ? '999998' : '999999';
      for (let i = 0; i < 5; i++) expectProblem(await c.post('/v1/auth/two-factor/verify', { challengeToken: challenge, code: wrongCode }), 401, 'second-factor-invalid');
      const locked = expectProblem(await c.post('/v1/auth/two-factor/verify', { challengeToken: challenge, code: right }), 429, 'login-locked');
      expect(locked.detail).toMatch(/retry in/);
      expectProblem(await loginRaw(email), 429, 'login-locked');
      await sleep(1_200);
      expectStatus(await c.post('/v1/auth/two-factor/verify', { challengeToken: challenge, code: right }), 200);
    });

    it('resetting two-factor needs the password, removes every factor and ends the other sessions', async () => {
      const email = globex.users.viewer.email;
      const first = expectStatus(await loginRaw(email), 200);
      expect(first.status).toBe('two-factor-required');
      const codes = expectStatus(await c.post('/v1/me/two-factor/recovery-codes', { password: 'wrong password' }, json(globex.tokens.viewer)), 400);
      expect(codes.type).toMatch(/wrong-password/);
      const fresh = expectStatus(await c.post('/v1/me/two-factor/recovery-codes', { password: PASSWORD }, json(globex.tokens.viewer)), 200).recoveryCodes;
      const second = expectStatus(await c.post('/v1/auth/two-factor/verify', { challengeToken: first.challengeToken, recoveryCode: fresh[0] }), 200);
      expectStatus(await c.post('/v1/me/two-factor/reset', { password: PASSWORD }, json(second.accessToken)), 204);
      expectProblem(await c.get('/v1/me', bearer(globex.tokens.viewer)), 401);
      expectStatus(await c.get('/v1/me', bearer(second.accessToken)), 200);
      expect(expectStatus(await c.get('/v1/me/two-factor', bearer(second.accessToken)), 200)).toMatchObject({ enabled: false, recoveryCodesLeft: 0 });
      expect(expectStatus(await loginRaw(email), 200).accessToken).toEqual(expect.any(String));
    });
  });

  /** Enrols an authenticator app on the enrol-now path (the tenant requires it); returns the secret and recovery codes. */
  async function enrolAtSignIn(email: string): Promise<{ secret: string; recoveryCodes: string[] }> {
    const first = expectStatus(await loginRaw(email), 200);
    expect(first.status).toBe('enrolment-required');
    const setup = expectStatus(await c.post('/v1/auth/two-factor/totp/setup', { challengeToken: first.challengeToken }), 200);
    const done = expectStatus(await c.post('/v1/auth/two-factor/totp/confirm', { challengeToken: first.challengeToken, code: await totp(setup.secret) }), 200);
    return { secret: setup.secret, recoveryCodes: done.recoveryCodes };
  }

  /** Both sign-in steps from a given device (user agent). */
  async function signIn(email: string, proof: { code: string } | { recoveryCode: string }, device: string) {
    const challenge = expectStatus(await loginRaw(email), 200).challengeToken;
    const res = await fetch(`${api.url}/v1/auth/two-factor/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': device },
      body: JSON.stringify({ challengeToken: challenge, ...proof }),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as any;
  }

  /** The invitation token from the dev mailer's outbox (the api writes mail to a file in tests). */
  function lastMailTo(email: string): string {
    const lines = readFileSync(join(process.env.E2E_DATA_DIR!, 'mail', 'outbox.jsonl'), 'utf8').trim().split('\n');
    const mail = lines.map((l) => JSON.parse(l) as { to: string; text: string }).filter((m) => m.to === email).pop();
    return /"token": "([^"]+)"/.exec(mail!.text)![1]!;
  }

  async function waitDisconnected(socket: ReturnType<typeof connectAgent>['socket']): Promise<void> {
    for (let i = 0; i < 50 && socket.connected; i++) await sleep(50);
    expect(socket.connected).toBe(false);
  }
});
