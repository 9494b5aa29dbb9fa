import { jest } from '@jest/globals';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { EnrolmentFinisher } from '../../auth/enrolment-finisher';
import type { LoginThrottle } from '../../auth/login-throttle';
import type { SignInSteps } from '../../auth/sign-in-steps';
import type { ChallengeClaims } from '../../auth/token-service';
import type { TotpSecrets } from '../../auth/totp-secrets';
import type { EnrolmentActors, ResolvedActor } from '../../auth/two-factor-actor';
import { newTotpSecret, totpCode } from '../../domain/totp';
import type { TwoFactorRepository } from '../../repositories/two-factor.repository';
import type { StoredTotp } from '../../repositories/two-factor.sql';
import { ConfirmTotpCommand } from './confirm-totp.command';
import { ConfirmTotpHandler } from './confirm-totp.handler';

const ctx = testContext();
const challenge: ChallengeClaims = { sub: ctx.actorId!, tid: ctx.tenantId, role: 'viewer', email: 'v@acme.test', purpose: 'enrol', jti: 'j1' };

function setup(options: { stored?: StoredTotp | undefined; viaChallenge?: boolean } = {}) {
  const tx = new FakeTenantTransaction();
  const secret = newTotpSecret();
  const actor: ResolvedActor = { context: ctx, userId: ctx.actorId!, challenge: options.viaChallenge ? challenge : null };
  const actors = { resolve: jest.fn<EnrolmentActors['resolve']>().mockResolvedValue(actor) };
  const factors = {
    findTotp: jest.fn<TwoFactorRepository['findTotp']>().mockResolvedValue('stored' in options ? options.stored : { keyId: 'k', secretEnc: Buffer.alloc(1), confirmed: false, lastTimeStep: null }),
    confirmTotp: jest.fn<TwoFactorRepository['confirmTotp']>().mockResolvedValue(undefined),
  };
  const secrets = { open: jest.fn<TotpSecrets['open']>().mockReturnValue(secret) };
  const finisher = { finish: jest.fn<EnrolmentFinisher['finish']>().mockResolvedValue({ recoveryCodes: ['a', 'b'], session: null }) };
  const steps = { spend: jest.fn<SignInSteps['spend']>().mockResolvedValue(undefined), release: jest.fn<SignInSteps['release']>().mockResolvedValue(undefined) };
  const throttle = {
    assertAllowed: jest.fn<LoginThrottle['assertAllowed']>().mockResolvedValue(undefined),
    recordFailure: jest.fn<LoginThrottle['recordFailure']>().mockResolvedValue(undefined),
    clear: jest.fn<LoginThrottle['clear']>().mockResolvedValue(undefined),
  };
  const handler = new ConfirmTotpHandler(
    tx.asTenantTransaction(),
    actors as unknown as EnrolmentActors,
    factors as unknown as TwoFactorRepository,
    secrets as unknown as TotpSecrets,
    finisher as unknown as EnrolmentFinisher,
    steps as unknown as SignInSteps,
    throttle as unknown as LoginThrottle,
  );
  return { tx, secret, factors, finisher, steps, throttle, handler };
}

const session = { via: 'session' as const, context: ctx };

describe('ConfirmTotpHandler', () => {
  it('a right code turns the app on (remembering its step), audits, and hands over to the finisher', async () => {
    const { tx, secret, factors, finisher, steps, handler } = setup();
    expect(await handler.execute(new ConfirmTotpCommand(session, await totpCode(secret)))).toEqual({ recoveryCodes: ['a', 'b'], session: null });
    expect(factors.confirmTotp.mock.calls[0]!.slice(1)).toEqual([ctx.actorId, Math.floor(Date.now() / 30_000)]);
    expect(tx.audits).toEqual([{ action: 'two_factor.totp_enabled', entityType: 'user', entityId: ctx.actorId }]);
    expect(finisher.finish.mock.calls[0]![2]).toBe('password+totp_enrolment');
    expect(steps.spend).not.toHaveBeenCalled();
  });

  it('a wrong code is 400 invalid-code and audited; nothing is turned on', async () => {
    const { tx, factors, handler } = setup();
    await expect(handler.execute(new ConfirmTotpCommand(session, '12345x'))).rejects.toMatchObject({ problem: { status: 400, type: 'invalid-code', errors: [{ field: 'code' }] } });
    expect(factors.confirmTotp).not.toHaveBeenCalled();
    expect(tx.audits).toEqual([{ action: 'two_factor.totp_confirmation_failed', entityType: 'user', entityId: ctx.actorId }]);
  });

  it('nothing pending is 409; an app already on is 409', async () => {
    await expect(setup({ stored: undefined }).handler.execute(new ConfirmTotpCommand(session, '123456'))).rejects.toMatchObject({ problem: { status: 409, type: 'no-pending-totp' } });
    const on = setup({ stored: { keyId: 'k', secretEnc: Buffer.alloc(1), confirmed: true, lastTimeStep: 1 } });
    await expect(on.handler.execute(new ConfirmTotpCommand(session, '123456'))).rejects.toMatchObject({ problem: { status: 409, type: 'totp-already-enabled' } });
  });

  it('on the enrol-now path: the challenge is spent, a wrong code counts into the lockout and releases it, a right one clears the count', async () => {
    const wrong = setup({ viaChallenge: true });
    await expect(wrong.handler.execute(new ConfirmTotpCommand({ via: 'challenge', challengeToken: 't', client: { ip: null, userAgent: null, requestId: null } }, '000000'))).rejects.toMatchObject({
      problem: { status: 400 },
    });
    expect(wrong.steps.spend).toHaveBeenCalledWith(challenge);
    expect(wrong.steps.release).toHaveBeenCalledWith(challenge);
    expect(wrong.throttle.recordFailure).toHaveBeenCalledWith('v@acme.test');
    const right = setup({ viaChallenge: true });
    await right.handler.execute(new ConfirmTotpCommand({ via: 'challenge', challengeToken: 't', client: { ip: null, userAgent: null, requestId: null } }, await totpCode(right.secret)));
    expect(right.throttle.clear).toHaveBeenCalledWith('v@acme.test');
    expect(right.steps.release).not.toHaveBeenCalled();
  });
});
