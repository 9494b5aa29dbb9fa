import { jest } from '@jest/globals';
import { FakeTenantTransaction } from '@switchboard/platform/testing';
import type { TwoFactorRepository } from '../../repositories/two-factor.repository';
import type { WebAuthnCredentialRow } from '../../repositories/two-factor.sql';
import { GetTwoFactorStatusQuery } from './get-two-factor-status.query';
import { GetTwoFactorStatusHandler } from './get-two-factor-status.handler';

const TENANT = '33333333-3333-4333-8333-333333333333';
const key: WebAuthnCredentialRow = { id: 'k1', credentialId: 'secret-ish', publicKey: Buffer.from([1]), counter: 3, transports: [], name: 'Key', createdAt: 'c', lastUsedAt: null };

describe('GetTwoFactorStatusHandler', () => {
  it('says what is on without any key material', async () => {
    const tx = new FakeTenantTransaction();
    const factors = {
      summary: jest.fn<TwoFactorRepository['summary']>().mockResolvedValue({ totp: false, webauthn: 1, recoveryCodesLeft: 8 }),
      credentials: jest.fn<TwoFactorRepository['credentials']>().mockResolvedValue([key]),
      tenantRequires: jest.fn<TwoFactorRepository['tenantRequires']>().mockResolvedValue(true),
    };
    const status = await new GetTwoFactorStatusHandler(tx.asTenantTransaction(), factors as unknown as TwoFactorRepository).execute(new GetTwoFactorStatusQuery(TENANT, 'u1'));
    expect(status).toEqual({ enabled: true, totp: false, webauthn: [{ id: 'k1', name: 'Key', createdAt: 'c', lastUsedAt: null }], recoveryCodesLeft: 8, requiredByTenant: true });
  });
});
