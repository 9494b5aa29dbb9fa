import { jest } from '@jest/globals';
import { ProblemException } from '@switchboard/platform';
import { FakeTenantTransaction } from '@switchboard/platform/testing';
import type { EntityManager } from 'typeorm';
import type { LoginThrottle } from '../../auth/login-throttle';
import type { PasswordHasher } from '../../auth/password-hasher';
import type { Session, SessionIssuer } from '../../auth/session-issuer';
import type { SignInChallenge, SignInSteps } from '../../auth/sign-in-steps';
import type { TwoFactorRepository } from '../../repositories/two-factor.repository';
import type { FactorSummary } from '../../repositories/two-factor.sql';
import type { MembersRepository } from '../../repositories/members.repository';
import type { UserTenant } from '../../repositories/members.sql';
import type { UserCredentials } from '../../repositories/users.sql';
import type { UsersRepository } from '../../repositories/users.repository';
import type { SsoPolicy } from '../../sso/sso-policy';
import { LoginCommand } from './login.command';
import { LoginHandler } from './login.handler';

const ACME = '33333333-3333-4333-8333-333333333333';
const BETA = '44444444-4444-4444-8444-444444444444';
const client = { ip: '203.0.113.9', userAgent: 'test', requestId: 'req-login' };
const acme: UserTenant = { tenant: { id: ACME, slug: 'acme', name: 'Acme' }, role: 'agent' };
const beta: UserTenant = { tenant: { id: BETA, slug: 'beta', name: 'Beta' }, role: 'viewer' };
const session: Session = { accessToken: 'at', refreshToken: 'rt', tokenType: 'Bearer', expiresIn: 900, sessionId: 'sess-1', tenant: acme.tenant };

function setup(options: { user?: UserCredentials; passwordOk?: boolean; tenants?: UserTenant[]; locked?: boolean; factors?: Partial<FactorSummary>; required?: boolean; ssoOnly?: boolean } = {}) {
  const tx = Object.assign(new FakeTenantTransaction(), { runAsSystem: <T>(work: (m: EntityManager) => Promise<T>) => work({} as EntityManager) });
  const throttle = {
    assertAllowed: options.locked
      ? jest.fn<LoginThrottle['assertAllowed']>().mockRejectedValue(new ProblemException({ status: 429, type: 'login-locked', title: 'Too Many Requests', detail: 'locked' }))
      : jest.fn<LoginThrottle['assertAllowed']>().mockResolvedValue(undefined),
    recordFailure: jest.fn<LoginThrottle['recordFailure']>().mockResolvedValue(undefined),
    clear: jest.fn<LoginThrottle['clear']>().mockResolvedValue(undefined),
  };
  const passwords = { verify: jest.fn<PasswordHasher['verify']>().mockResolvedValue(options.passwordOk ?? true) };
  const sessions = { issue: jest.fn<SessionIssuer['issue']>().mockResolvedValue(session) };
  const users = { findCredentials: jest.fn<UsersRepository['findCredentials']>().mockResolvedValue('user' in options ? options.user : { id: 'u1', passwordHash: 'argon-hash' }) };
  const members = { activeTenantsOf: jest.fn<MembersRepository['activeTenantsOf']>().mockResolvedValue(options.tenants ?? [acme]) };
  const factors = {
    summary: jest.fn<TwoFactorRepository['summary']>().mockResolvedValue({ totp: false, webauthn: 0, recoveryCodesLeft: 0, ...options.factors }),
    tenantRequires: jest.fn<TwoFactorRepository['tenantRequires']>().mockResolvedValue(options.required ?? false),
  };
  const steps = {
    challenge: jest.fn<SignInSteps['challenge']>().mockImplementation(async (purpose, input) => ({
      status: purpose === 'verify' ? 'two-factor-required' : 'enrolment-required',
      challengeToken: `challenge-${purpose}`,
      expiresIn: 300,
      methods: input.methods,
      tenant: input.tenant,
    })),
  };
  const ssoPolicy = {
    assertPasswordAllowed: options.ssoOnly
      ? jest.fn<SsoPolicy['assertPasswordAllowed']>().mockRejectedValue(new ProblemException({ status: 403, type: 'sso-required', title: 'Forbidden', detail: 'sso only' }))
      : jest.fn<SsoPolicy['assertPasswordAllowed']>().mockResolvedValue(undefined),
  };
  const handler = new LoginHandler(
    tx.asTenantTransaction(),
    passwords as unknown as PasswordHasher,
    sessions as unknown as SessionIssuer,
    throttle as unknown as LoginThrottle,
    users as unknown as UsersRepository,
    members as unknown as MembersRepository,
    factors as unknown as TwoFactorRepository,
    steps as unknown as SignInSteps,
    ssoPolicy as unknown as SsoPolicy,
  );
  return { tx, throttle, passwords, sessions, users, members, factors, steps, ssoPolicy, handler };
}

const login = (tenant?: string) => new LoginCommand(' Ada@Example.com ', 'correct horse', tenant, client);

describe('LoginHandler', () => {
  it('signs in to the only tenant: clears the failures, issues a session in that tenant and audits auth.login', async () => {
    const { tx, throttle, passwords, sessions, users, handler } = setup();
    expect(await handler.execute(login())).toBe(session);
    expect(throttle.assertAllowed).toHaveBeenCalledWith('ada@example.com');
    expect(users.findCredentials).toHaveBeenCalledWith(expect.anything(), 'ada@example.com');
    expect(passwords.verify).toHaveBeenCalledWith('argon-hash', 'correct horse');
    expect(throttle.clear).toHaveBeenCalledWith('ada@example.com');
    expect(throttle.recordFailure).not.toHaveBeenCalled();
    // In the login's tenant transaction, so the refresh token commits with the audit entry.
    expect(sessions.issue.mock.calls[0][0]).toBe(tx.committed[0].manager);
    expect(sessions.issue.mock.calls[0][1]).toEqual({ userId: 'u1', role: 'agent', tenant: acme.tenant, method: 'password', client });
    expect(tx.committed[0].context).toMatchObject({ tenantId: ACME, actorId: 'u1', actorType: 'user', correlationId: 'req-login', ip: '203.0.113.9', userAgent: 'test' });
    expect(tx.audits).toEqual([{ action: 'auth.login', entityType: 'user', entityId: 'u1', after: { method: 'password', sessionId: 'sess-1' } }]);
  });

  it('a locked-out account is refused with 429 before any password check', async () => {
    const { tx, passwords, users, sessions, handler } = setup({ locked: true });
    await expect(handler.execute(login())).rejects.toMatchObject({ problem: { status: 429, type: 'login-locked' } });
    expect(users.findCredentials).not.toHaveBeenCalled();
    expect(passwords.verify).not.toHaveBeenCalled();
    expect(sessions.issue).not.toHaveBeenCalled();
    expect(tx.audits).toEqual([]);
  });

  it('a wrong password counts as a failure and gets the one 401', async () => {
    const { tx, throttle, sessions, handler } = setup({ passwordOk: false });
    await expect(handler.execute(login())).rejects.toMatchObject({ problem: { status: 401, type: 'unauthorized', detail: 'The email or password is incorrect.' } });
    expect(throttle.recordFailure).toHaveBeenCalledWith('ada@example.com');
    expect(throttle.clear).not.toHaveBeenCalled();
    expect(sessions.issue).not.toHaveBeenCalled();
    expect(tx.audits).toEqual([]);
  });

  it('an unknown email is verified against the decoy (same timing) and gets the same 401', async () => {
    const { throttle, passwords, handler } = setup({ user: undefined, passwordOk: false });
    await expect(handler.execute(login())).rejects.toMatchObject({ problem: { status: 401, type: 'unauthorized', detail: 'The email or password is incorrect.' } });
    expect(passwords.verify).toHaveBeenCalledWith(null, 'correct horse');
    expect(throttle.recordFailure).toHaveBeenCalledWith('ada@example.com');
  });

  it('a user with no active tenant (or not in the one named) gets the same 401', async () => {
    for (const [tenants, slug] of [[[], undefined], [[acme], 'beta']] as [UserTenant[], string | undefined][]) {
      const { throttle, sessions, handler } = setup({ tenants });
      await expect(handler.execute(login(slug))).rejects.toMatchObject({ problem: { status: 401, type: 'unauthorized', detail: 'The email or password is incorrect.' } });
      expect(throttle.recordFailure).toHaveBeenCalledWith('ada@example.com');
      expect(sessions.issue).not.toHaveBeenCalled();
    }
  });

  it('a user of several tenants must choose one: 400 tenant-required lists them, and no session is issued', async () => {
    const { throttle, sessions, handler } = setup({ tenants: [acme, beta] });
    await expect(handler.execute(login())).rejects.toMatchObject({
      problem: { status: 400, type: 'tenant-required', extensions: { tenants: [{ slug: 'acme', name: 'Acme' }, { slug: 'beta', name: 'Beta' }] } },
    });
    expect(throttle.recordFailure).not.toHaveBeenCalled();
    expect(sessions.issue).not.toHaveBeenCalled();
  });

  it('signs in to the tenant named by slug', async () => {
    const { tx, sessions, handler } = setup({ tenants: [acme, beta] });
    await handler.execute(login('beta'));
    expect(sessions.issue.mock.calls[0][1]).toEqual({ userId: 'u1', role: 'viewer', tenant: beta.tenant, method: 'password', client });
    expect(tx.committed[0].tenantId).toBe(BETA);
  });

  it('a user with a second factor gets a challenge, not a session, and the failure count is kept until the second step', async () => {
    const { tx, throttle, sessions, steps, handler } = setup({ factors: { totp: true, webauthn: 1, recoveryCodesLeft: 10 } });
    const result = (await handler.execute(login())) as SignInChallenge;
    expect(result).toMatchObject({ status: 'two-factor-required', challengeToken: 'challenge-verify', methods: ['totp', 'webauthn', 'recovery_code'] });
    expect(steps.challenge).toHaveBeenCalledWith('verify', { userId: 'u1', email: 'ada@example.com', role: 'agent', tenant: acme.tenant, methods: ['totp', 'webauthn', 'recovery_code'] });
    expect(sessions.issue).not.toHaveBeenCalled();
    expect(throttle.clear).not.toHaveBeenCalled();
    expect(tx.audits).toEqual([]);
  });

  it('a tenant that requires two-factor leads a member without a factor to enrol', async () => {
    const { sessions, steps, throttle, handler } = setup({ required: true });
    expect(await handler.execute(login())).toMatchObject({ status: 'enrolment-required', challengeToken: 'challenge-enrol', methods: ['totp'] });
    expect(steps.challenge.mock.calls[0][0]).toBe('enrol');
    expect(sessions.issue).not.toHaveBeenCalled();
    expect(throttle.clear).not.toHaveBeenCalled();
  });

  it('recovery codes alone (every factor removed) do not make sign-in two steps', async () => {
    const { sessions, steps, handler } = setup({ factors: { recoveryCodesLeft: 3 } });
    expect(await handler.execute(login())).toBe(session);
    expect(steps.challenge).not.toHaveBeenCalled();
    expect(sessions.issue).toHaveBeenCalled();
  });

  it('a wrong password never reaches the factor check', async () => {
    const { factors, steps, handler } = setup({ passwordOk: false, factors: { totp: true } });
    await expect(handler.execute(login())).rejects.toMatchObject({ problem: { status: 401 } });
    expect(factors.summary).not.toHaveBeenCalled();
    expect(steps.challenge).not.toHaveBeenCalled();
  });

  it('asks the SSO policy only after the password was right, and issues nothing when the tenant is SSO-only', async () => {
    const { tx, sessions, ssoPolicy, handler } = setup({ ssoOnly: true });
    await expect(handler.execute(login())).rejects.toMatchObject({ problem: { status: 403, type: 'sso-required' } });
    expect(ssoPolicy.assertPasswordAllowed).toHaveBeenCalledWith(acme.tenant, 'u1', client);
    expect(sessions.issue).not.toHaveBeenCalled();
    expect(tx.committed).toEqual([]);

    const wrong = setup({ ssoOnly: true, passwordOk: false });
    await expect(wrong.handler.execute(login())).rejects.toMatchObject({ problem: { status: 401 } });
    expect(wrong.ssoPolicy.assertPasswordAllowed).not.toHaveBeenCalled();
  });
});
