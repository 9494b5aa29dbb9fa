import { jest } from '@jest/globals';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { AccessCache } from '../../auth/access-cache';
import type { CurrentPassword } from '../../auth/current-password';
import type { SessionsRepository } from '../../repositories/sessions.repository';
import type { TwoFactorRepository } from '../../repositories/two-factor.repository';
import { ResetTwoFactorCommand } from './reset-two-factor.command';
import { ResetTwoFactorHandler } from './reset-two-factor.handler';

const user = { id: 'u1', email: 'ada@example.com', name: 'Ada', passwordHash: 'h' };

function setup(wrongPassword = false) {
  const tx = new FakeTenantTransaction();
  const current = {
    verify: wrongPassword
      ? jest.fn<CurrentPassword['verify']>().mockRejectedValue(Object.assign(new Error('wrong'), { problem: { status: 400, type: 'wrong-password' } }))
      : jest.fn<CurrentPassword['verify']>().mockResolvedValue(user),
  };
  const factors = {
    summary: jest.fn<TwoFactorRepository['summary']>().mockResolvedValue({ totp: true, webauthn: 2, recoveryCodesLeft: 7 }),
    removeAll: jest.fn<TwoFactorRepository['removeAll']>().mockResolvedValue(undefined),
  };
  const sessions = { revokeEverywhereExcept: jest.fn<SessionsRepository['revokeEverywhereExcept']>().mockResolvedValue(['t-other']) };
  const access = { changed: jest.fn<AccessCache['changed']>().mockResolvedValue(undefined) };
  const handler = new ResetTwoFactorHandler(
    tx.asTenantTransaction(),
    current as unknown as CurrentPassword,
    factors as unknown as TwoFactorRepository,
    sessions as unknown as SessionsRepository,
    access as unknown as AccessCache,
  );
  return { tx, factors, sessions, access, handler };
}

describe('ResetTwoFactorHandler', () => {
  const ctx = testContext();

  it('removes every factor, audits before/after, ends the other sessions everywhere and drops those tenants’ checks', async () => {
    const { tx, factors, sessions, access, handler } = setup();
    await handler.execute(new ResetTwoFactorCommand(ctx, 'sess-1', 'pw'));
    expect(factors.removeAll.mock.calls[0]![1]).toBe('u1');
    expect(sessions.revokeEverywhereExcept.mock.calls[0]!.slice(1)).toEqual(['u1', 'two_factor_reset', 'sess-1']);
    expect(tx.audits).toEqual([
      { action: 'two_factor.reset', entityType: 'user', entityId: 'u1', before: { totp: true, webauthn: 2, recoveryCodesLeft: 7 }, after: { totp: false, webauthn: 0, recoveryCodesLeft: 0 } },
    ]);
    expect(access.changed.mock.calls.map((c) => c[0]).sort()).toEqual(['t-other', ctx.tenantId].sort());
  });

  it('a wrong password removes nothing', async () => {
    const { factors, sessions, handler } = setup(true);
    await expect(handler.execute(new ResetTwoFactorCommand(ctx, 'sess-1', 'nope'))).rejects.toMatchObject({ problem: { status: 400 } });
    expect(factors.removeAll).not.toHaveBeenCalled();
    expect(sessions.revokeEverywhereExcept).not.toHaveBeenCalled();
  });
});
