import { jest } from '@jest/globals';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { TwoFactorRepository } from '../../repositories/two-factor.repository';
import type { WebAuthnCredentialRow } from '../../repositories/two-factor.sql';
import { RemoveWebAuthnCredentialCommand } from './remove-webauthn-credential.command';
import { RemoveWebAuthnCredentialHandler } from './remove-webauthn-credential.handler';

const key: WebAuthnCredentialRow = { id: 'k1', credentialId: 'c', publicKey: Buffer.alloc(1), counter: 0, transports: [], name: 'YubiKey', createdAt: '', lastUsedAt: null };

describe('RemoveWebAuthnCredentialHandler', () => {
  const ctx = testContext();

  it('removes the caller’s own key and audits its name', async () => {
    const tx = new FakeTenantTransaction();
    const factors = { removeCredential: jest.fn<TwoFactorRepository['removeCredential']>().mockResolvedValue(key) };
    await new RemoveWebAuthnCredentialHandler(tx.asTenantTransaction(), factors as unknown as TwoFactorRepository).execute(new RemoveWebAuthnCredentialCommand(ctx, 'k1'));
    expect(factors.removeCredential.mock.calls[0]!.slice(1)).toEqual([ctx.actorId, 'k1']);
    expect(tx.audits).toEqual([{ action: 'two_factor.webauthn_removed', entityType: 'user', entityId: ctx.actorId, before: { credentialId: 'k1', name: 'YubiKey' } }]);
  });

  it('anyone else’s key (or none) is 404', async () => {
    const tx = new FakeTenantTransaction();
    const factors = { removeCredential: jest.fn<TwoFactorRepository['removeCredential']>().mockResolvedValue(undefined) };
    await expect(new RemoveWebAuthnCredentialHandler(tx.asTenantTransaction(), factors as unknown as TwoFactorRepository).execute(new RemoveWebAuthnCredentialCommand(ctx, 'k9'))).rejects.toMatchObject({
      problem: { status: 404 },
    });
    expect(tx.audits).toEqual([]);
  });
});
