import { jest } from '@jest/globals';
import { FakeTenantTransaction } from '@switchboard/platform/testing';
import type { LoginThrottle } from '../../auth/login-throttle';
import type { OneTimeStore } from '../../auth/one-time-store';
import type { Session } from '../../auth/session-issuer';
import type { SignInSteps } from '../../auth/sign-in-steps';
import type { ChallengeClaims } from '../../auth/token-service';
import type { TotpSecrets } from '../../auth/totp-secrets';
import type { WebAuthn } from '../../auth/webauthn';
import { hashRecoveryCode } from '../../domain/recovery-codes';
import { newTotpSecret, totpCode } from '../../domain/totp';
import type { TwoFactorRepository } from '../../repositories/two-factor.repository';
import type { WebAuthnCredentialRow } from '../../repositories/two-factor.sql';
import { VerifyTwoFactorCommand, type SecondFactorProof } from './verify-two-factor.command';
import { VerifyTwoFactorHandler } from './verify-two-factor.handler';

const TENANT = '33333333-3333-4333-8333-333333333333';
const claims: ChallengeClaims = { sub: 'u1', tid: TENANT, role: 'agent', email: 'ada@example.com', purpose: 'verify', jti: 'j1' };
const client = { ip: '203.0.113.9', userAgent: 'test', requestId: 'req-2fa' };
const session = { accessToken: 'at', sessionId: 's1' } as Session;
const key: WebAuthnCredentialRow = { id: 'k1', credentialId: 'cred', publicKey: Buffer.alloc(1), counter: 1, transports: [], name: 'Key', createdAt: '', lastUsedAt: null };

function setup(options: { secret?: string; lastStep?: number | null; recoveryOk?: boolean; stepRecorded?: boolean; pendingWebAuthn?: string | null; assertion?: boolean } = {}) {
  const tx = new FakeTenantTransaction();
  const steps = {
    open: jest.fn<SignInSteps['open']>().mockResolvedValue(claims),
    context: jest.fn<SignInSteps['context']>().mockReturnValue({ tenantId: TENANT, actorId: 'u1', actorType: 'user', correlationId: 'req-2fa' }),
    spend: jest.fn<SignInSteps['spend']>().mockResolvedValue(undefined),
    release: jest.fn<SignInSteps['release']>().mockResolvedValue(undefined),
    finish: jest.fn<SignInSteps['finish']>().mockResolvedValue(session),
  };
  const throttle = {
    assertAllowed: jest.fn<LoginThrottle['assertAllowed']>().mockResolvedValue(undefined),
    recordFailure: jest.fn<LoginThrottle['recordFailure']>().mockResolvedValue(undefined),
    clear: jest.fn<LoginThrottle['clear']>().mockResolvedValue(undefined),
  };
  const secret = options.secret ?? newTotpSecret();
  const factors = {
    findTotp: jest.fn<TwoFactorRepository['findTotp']>().mockResolvedValue({ keyId: 'k', secretEnc: Buffer.from('sealed'), confirmed: true, lastTimeStep: options.lastStep ?? null }),
    recordTotpStep: jest.fn<TwoFactorRepository['recordTotpStep']>().mockResolvedValue(options.stepRecorded ?? true),
    useRecoveryCode: jest.fn<TwoFactorRepository['useRecoveryCode']>().mockResolvedValue(options.recoveryOk ?? true),
    summary: jest.fn<TwoFactorRepository['summary']>().mockResolvedValue({ totp: true, webauthn: 1, recoveryCodesLeft: 9 }),
    credentials: jest.fn<TwoFactorRepository['credentials']>().mockResolvedValue([key]),
    recordCredentialUse: jest.fn<TwoFactorRepository['recordCredentialUse']>().mockResolvedValue(undefined),
  };
  const secrets = { open: jest.fn<TotpSecrets['open']>().mockReturnValue(secret) };
  const webauthn = { verifyAuthentication: jest.fn<WebAuthn['verifyAuthentication']>().mockResolvedValue(options.assertion === false ? null : { credential: key, newCounter: 2 }) };
  const once = { take: jest.fn<OneTimeStore['take']>().mockResolvedValue(options.pendingWebAuthn === undefined ? 'chal' : options.pendingWebAuthn) };
  const handler = new VerifyTwoFactorHandler(
    tx.asTenantTransaction(),
    steps as unknown as SignInSteps,
    throttle as unknown as LoginThrottle,
    factors as unknown as TwoFactorRepository,
    secrets as unknown as TotpSecrets,
    webauthn as unknown as WebAuthn,
    once as unknown as OneTimeStore,
  );
  return { tx, steps, throttle, factors, webauthn, once, secret, handler };
}

/** A mock's calls without their first argument (the transaction's manager, a proxy that refuses SQL). */
const after1 = (fn: { mock: { calls: unknown[][] } }) => fn.mock.calls.map((call) => call.slice(1));

const verify = (proof: SecondFactorProof) => new VerifyTwoFactorCommand('challenge', proof, client);

describe('VerifyTwoFactorHandler', () => {
  it('a right TOTP code records its step, issues the session and clears the failure count', async () => {
    const { tx, steps, throttle, factors, secret, handler } = setup();
    const code = await totpCode(secret);
    expect(await handler.execute(verify({ kind: 'totp', code }))).toBe(session);
    expect(steps.open).toHaveBeenCalledWith('challenge', 'verify');
    expect(throttle.assertAllowed).toHaveBeenCalledWith('ada@example.com');
    expect(steps.spend).toHaveBeenCalledWith(claims);
    expect(after1(factors.findTotp)).toContainEqual(['u1', true]);
    expect(after1(factors.recordTotpStep)).toContainEqual(['u1', Math.floor(Date.now() / 30_000)]);
    expect(after1(steps.finish)).toContainEqual([claims, null, 'password+totp', client]);
    expect(throttle.clear).toHaveBeenCalledWith('ada@example.com');
    expect(steps.release).not.toHaveBeenCalled();
    expect(tx.audits).toEqual([]);
  });

  it('a replayed TOTP code fails: counted, audited with the reason, the challenge released for a retry, 401', async () => {
    const { tx, steps, throttle, handler, secret } = setup({ lastStep: Math.floor(Date.now() / 30_000) });
    await expect(handler.execute(verify({ kind: 'totp', code: await totpCode(secret) }))).rejects.toMatchObject({
      problem: { status: 401, type: 'second-factor-invalid', detail: expect.stringMatching(/already used/) },
    });
    expect(steps.finish).not.toHaveBeenCalled();
    expect(steps.release).toHaveBeenCalledWith(claims);
    expect(throttle.recordFailure).toHaveBeenCalledWith('ada@example.com');
    expect(throttle.clear).not.toHaveBeenCalled();
    expect(tx.audits).toEqual([{ action: 'auth.second_factor_failed', entityType: 'user', entityId: 'u1', after: { method: 'totp', reason: 'replayed' } }]);
  });

  it('a code whose step another request recorded first is a replay', async () => {
    const { handler, secret, throttle } = setup({ stepRecorded: false });
    await expect(handler.execute(verify({ kind: 'totp', code: await totpCode(secret) }))).rejects.toMatchObject({ problem: { status: 401 } });
    expect(throttle.recordFailure).toHaveBeenCalled();
  });

  it('a recovery code is spent by its hash and audited with how many are left; a used one fails', async () => {
    const ok = setup();
    await ok.handler.execute(verify({ kind: 'recovery_code', code: 'ABCDE-FGHJK' }));
    expect(after1(ok.factors.useRecoveryCode)).toContainEqual(['u1', hashRecoveryCode('abcdefghjk')]);
    expect(ok.tx.audits).toEqual([{ action: 'two_factor.recovery_code_used', entityType: 'user', entityId: 'u1', after: { recoveryCodesLeft: 9 } }]);
    const used = setup({ recoveryOk: false });
    await expect(used.handler.execute(verify({ kind: 'recovery_code', code: 'abcde-fghjk' }))).rejects.toMatchObject({ problem: { status: 401 } });
    expect(used.tx.audits[0]).toMatchObject({ action: 'auth.second_factor_failed', after: { reason: 'used_or_unknown' } });
    // Junk never reaches the database.
    const junk = setup();
    await expect(junk.handler.execute(verify({ kind: 'recovery_code', code: "'; drop table users; --" }))).rejects.toMatchObject({ problem: { status: 401 } });
    expect(junk.factors.useRecoveryCode).not.toHaveBeenCalled();
  });

  it('a security key is checked against the pending options and its counter recorded; no pending options is a failure', async () => {
    const ok = setup();
    await ok.handler.execute(verify({ kind: 'webauthn', response: { id: 'cred' } }));
    expect(ok.once.take).toHaveBeenCalledWith('webauthn-sign-in', 'j1');
    expect(ok.webauthn.verifyAuthentication).toHaveBeenCalledWith({ id: 'cred' }, 'chal', [key]);
    expect(after1(ok.factors.recordCredentialUse)).toContainEqual(['u1', 'k1', 2]);
    const none = setup({ pendingWebAuthn: null });
    await expect(none.handler.execute(verify({ kind: 'webauthn', response: {} }))).rejects.toMatchObject({ problem: { status: 401, detail: expect.stringMatching(/No security-key challenge/) } });
    const forged = setup({ assertion: false });
    await expect(forged.handler.execute(verify({ kind: 'webauthn', response: { id: 'cred' } }))).rejects.toMatchObject({ problem: { status: 401 } });
    expect(forged.factors.recordCredentialUse).not.toHaveBeenCalled();
  });

  it('a locked account is refused before any check', async () => {
    const { throttle, factors, steps, handler } = setup();
    throttle.assertAllowed.mockRejectedValue(Object.assign(new Error('locked'), { problem: { status: 429 } }));
    await expect(handler.execute(verify({ kind: 'totp', code: '123456' }))).rejects.toMatchObject({ problem: { status: 429 } });
    expect(factors.findTotp).not.toHaveBeenCalled();
    expect(steps.spend).not.toHaveBeenCalled();
  });
});
