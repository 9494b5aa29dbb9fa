import { jest } from '@jest/globals';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/server';
import type { OneTimeStore } from '../../auth/one-time-store';
import type { EnrolmentActors } from '../../auth/two-factor-actor';
import type { WebAuthn } from '../../auth/webauthn';
import type { TwoFactorRepository } from '../../repositories/two-factor.repository';
import type { WebAuthnCredentialRow } from '../../repositories/two-factor.sql';
import type { UsersRepository } from '../../repositories/users.repository';
import type { TenancyConfig } from '../../tenancy.context';
import { StartWebAuthnRegistrationCommand } from './start-webauthn-registration.command';
import { StartWebAuthnRegistrationHandler } from './start-webauthn-registration.handler';

const ctx = testContext();
const user = { id: ctx.actorId!, email: 'ada@example.com', name: 'Ada', passwordHash: 'h' };
const existing = [{ id: 'k1', credentialId: 'old' } as WebAuthnCredentialRow];

describe('StartWebAuthnRegistrationHandler', () => {
  it('answers creation options that exclude the user’s keys, and remembers the challenge for the user', async () => {
    const tx = new FakeTenantTransaction();
    const actors = { resolve: jest.fn<EnrolmentActors['resolve']>().mockResolvedValue({ context: ctx, userId: user.id, challenge: null }) };
    const factors = { credentials: jest.fn<TwoFactorRepository['credentials']>().mockResolvedValue(existing) };
    const users = { account: jest.fn<UsersRepository['account']>().mockResolvedValue(user) };
    const webauthn = { registrationOptions: jest.fn<WebAuthn['registrationOptions']>().mockResolvedValue({ challenge: 'chal' } as PublicKeyCredentialCreationOptionsJSON) };
    const once = { put: jest.fn<OneTimeStore['put']>().mockResolvedValue(undefined) };
    const handler = new StartWebAuthnRegistrationHandler(
      tx.asTenantTransaction(),
      actors as unknown as EnrolmentActors,
      factors as unknown as TwoFactorRepository,
      users as unknown as UsersRepository,
      webauthn as unknown as WebAuthn,
      once as unknown as OneTimeStore,
      { AUTH_TWO_FACTOR_CHALLENGE_TTL_SECONDS: 300 } as TenancyConfig,
    );
    expect(await handler.execute(new StartWebAuthnRegistrationCommand({ via: 'session', context: ctx }))).toEqual({ challenge: 'chal' });
    expect(webauthn.registrationOptions).toHaveBeenCalledWith(user, existing);
    expect(once.put).toHaveBeenCalledWith('webauthn-registration', user.id, 'chal', 300);
  });
});
