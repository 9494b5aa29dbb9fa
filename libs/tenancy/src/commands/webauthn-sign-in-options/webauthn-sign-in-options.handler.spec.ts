import { jest } from '@jest/globals';
import { FakeTenantTransaction } from '@switchboard/platform/testing';
import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import type { OneTimeStore } from '../../auth/one-time-store';
import type { SignInSteps } from '../../auth/sign-in-steps';
import type { ChallengeClaims } from '../../auth/token-service';
import type { WebAuthn } from '../../auth/webauthn';
import type { TwoFactorRepository } from '../../repositories/two-factor.repository';
import type { WebAuthnCredentialRow } from '../../repositories/two-factor.sql';
import type { TenancyConfig } from '../../tenancy.context';
import { WebAuthnSignInOptionsCommand } from './webauthn-sign-in-options.command';
import { WebAuthnSignInOptionsHandler } from './webauthn-sign-in-options.handler';

const TENANT = '33333333-3333-4333-8333-333333333333';
const claims: ChallengeClaims = { sub: 'u1', tid: TENANT, role: 'agent', email: 'a@b.c', purpose: 'verify', jti: 'j1' };
const key = { id: 'k1', credentialId: 'cred', transports: ['usb'] } as WebAuthnCredentialRow;

function setup(credentials: WebAuthnCredentialRow[]) {
  const tx = new FakeTenantTransaction();
  const steps = {
    open: jest.fn<SignInSteps['open']>().mockResolvedValue(claims),
    context: jest.fn<SignInSteps['context']>().mockReturnValue({ tenantId: TENANT, actorId: 'u1', correlationId: null }),
  };
  const factors = { credentials: jest.fn<TwoFactorRepository['credentials']>().mockResolvedValue(credentials) };
  const webauthn = { authenticationOptions: jest.fn<WebAuthn['authenticationOptions']>().mockResolvedValue({ challenge: 'chal', allowCredentials: [{ id: 'cred', type: 'public-key' }] } as PublicKeyCredentialRequestOptionsJSON) };
  const once = { put: jest.fn<OneTimeStore['put']>().mockResolvedValue(undefined) };
  const handler = new WebAuthnSignInOptionsHandler(
    tx.asTenantTransaction(),
    steps as unknown as SignInSteps,
    factors as unknown as TwoFactorRepository,
    webauthn as unknown as WebAuthn,
    once as unknown as OneTimeStore,
    { AUTH_TWO_FACTOR_CHALLENGE_TTL_SECONDS: 300 } as TenancyConfig,
  );
  return { steps, once, handler };
}

describe('WebAuthnSignInOptionsHandler', () => {
  it('answers options for the user’s keys and remembers the challenge for this sign-in', async () => {
    const { steps, once, handler } = setup([key]);
    expect(await handler.execute(new WebAuthnSignInOptionsCommand('challenge', 'req'))).toMatchObject({ challenge: 'chal' });
    expect(steps.open).toHaveBeenCalledWith('challenge', 'verify');
    expect(once.put).toHaveBeenCalledWith('webauthn-sign-in', 'j1', 'chal', 300);
  });

  it('a user without keys gets 409 and nothing is remembered', async () => {
    const { once, handler } = setup([]);
    await expect(handler.execute(new WebAuthnSignInOptionsCommand('challenge', null))).rejects.toMatchObject({ problem: { status: 409, type: 'no-security-key' } });
    expect(once.put).not.toHaveBeenCalled();
  });
});
