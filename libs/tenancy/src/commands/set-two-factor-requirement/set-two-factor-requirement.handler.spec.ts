import { jest } from '@jest/globals';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { TwoFactorRepository } from '../../repositories/two-factor.repository';
import { SetTwoFactorRequirementCommand } from './set-two-factor-requirement.command';
import { SetTwoFactorRequirementHandler } from './set-two-factor-requirement.handler';

function setup(own: { totp: boolean; webauthn: number }, before = false) {
  const tx = new FakeTenantTransaction();
  const factors = {
    summary: jest.fn<TwoFactorRepository['summary']>().mockResolvedValue({ ...own, recoveryCodesLeft: 10 }),
    setTenantRequires: jest.fn<TwoFactorRepository['setTenantRequires']>().mockResolvedValue(before),
  };
  return { tx, factors, handler: new SetTwoFactorRequirementHandler(tx.asTenantTransaction(), factors as unknown as TwoFactorRepository) };
}

describe('SetTwoFactorRequirementHandler', () => {
  const ctx = testContext();

  it('an owner with a factor turns it on; the change is audited', async () => {
    const { tx, factors, handler } = setup({ totp: false, webauthn: 1 });
    expect(await handler.execute(new SetTwoFactorRequirementCommand(ctx, 'owner', true))).toEqual({ requireTwoFactor: true });
    expect(factors.setTenantRequires.mock.calls[0]!.slice(1)).toEqual([ctx.tenantId, true]);
    expect(tx.audits).toEqual([
      { action: 'tenant.two_factor_requirement_changed', entityType: 'tenant', entityId: ctx.tenantId, before: { requireTwoFactor: false }, after: { requireTwoFactor: true } },
    ]);
  });

  it('an owner without a factor of their own gets 409 and nothing changes', async () => {
    const { tx, factors, handler } = setup({ totp: false, webauthn: 0 });
    await expect(handler.execute(new SetTwoFactorRequirementCommand(ctx, 'owner', true))).rejects.toMatchObject({ problem: { status: 409, type: 'two-factor-not-enabled' } });
    expect(factors.setTenantRequires).not.toHaveBeenCalled();
    expect(tx.audits).toEqual([]);
  });

  it('turning it off needs no factor; setting the same value again is not audited', async () => {
    const off = setup({ totp: false, webauthn: 0 }, true);
    await off.handler.execute(new SetTwoFactorRequirementCommand(ctx, 'owner', false));
    expect(off.tx.audits).toHaveLength(1);
    const same = setup({ totp: true, webauthn: 0 }, true);
    await same.handler.execute(new SetTwoFactorRequirementCommand(ctx, 'owner', true));
    expect(same.tx.audits).toEqual([]);
  });

  it('only owners', async () => {
    const { factors, handler } = setup({ totp: true, webauthn: 0 });
    await expect(handler.execute(new SetTwoFactorRequirementCommand(ctx, 'admin', true))).rejects.toMatchObject({ problem: { status: 403 } });
    expect(factors.setTenantRequires).not.toHaveBeenCalled();
  });
});
