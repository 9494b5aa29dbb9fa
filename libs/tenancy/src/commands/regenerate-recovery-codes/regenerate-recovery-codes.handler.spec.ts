import { jest } from '@jest/globals';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { CurrentPassword } from '../../auth/current-password';
import { hashRecoveryCode } from '../../domain/recovery-codes';
import type { TwoFactorRepository } from '../../repositories/two-factor.repository';
import { RegenerateRecoveryCodesCommand } from './regenerate-recovery-codes.command';
import { RegenerateRecoveryCodesHandler } from './regenerate-recovery-codes.handler';

function setup(summary: { totp: boolean; webauthn: number }) {
  const tx = new FakeTenantTransaction();
  const current = { verify: jest.fn<CurrentPassword['verify']>().mockResolvedValue({ id: 'u1', email: 'a@b.c', name: 'A', passwordHash: 'h' }) };
  const factors = {
    summary: jest.fn<TwoFactorRepository['summary']>().mockResolvedValue({ ...summary, recoveryCodesLeft: 2 }),
    replaceRecoveryCodes: jest.fn<TwoFactorRepository['replaceRecoveryCodes']>().mockResolvedValue(undefined),
  };
  const handler = new RegenerateRecoveryCodesHandler(tx.asTenantTransaction(), current as unknown as CurrentPassword, factors as unknown as TwoFactorRepository);
  return { tx, factors, handler };
}

describe('RegenerateRecoveryCodesHandler', () => {
  const ctx = testContext();

  it('replaces the codes with ten new ones, storing only their hashes', async () => {
    const { tx, factors, handler } = setup({ totp: true, webauthn: 0 });
    const { recoveryCodes } = await handler.execute(new RegenerateRecoveryCodesCommand(ctx, 'pw'));
    expect(recoveryCodes).toHaveLength(10);
    expect(factors.replaceRecoveryCodes.mock.calls[0]!.slice(1)).toEqual(['u1', recoveryCodes.map(hashRecoveryCode)]);
    expect(tx.audits).toEqual([{ action: 'two_factor.recovery_codes_generated', entityType: 'user', entityId: 'u1', before: { recoveryCodesLeft: 2 }, after: { count: 10 } }]);
  });

  it('without a factor there is nothing to recover: 409', async () => {
    const { factors, handler } = setup({ totp: false, webauthn: 0 });
    await expect(handler.execute(new RegenerateRecoveryCodesCommand(ctx, 'pw'))).rejects.toMatchObject({ problem: { status: 409 } });
    expect(factors.replaceRecoveryCodes).not.toHaveBeenCalled();
  });
});
