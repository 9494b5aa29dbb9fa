import { jest } from '@jest/globals';
import { ProblemException, type TenantTx } from '@switchboard/platform';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { TenantsRepository } from '../../repositories/tenants.repository';
import type { TenantView } from '../../repositories/tenants.sql';
import { UpdateTenantCommand } from './update-tenant.command';
import { UpdateTenantHandler } from './update-tenant.handler';

const context = testContext();
const tenant: TenantView = {
  id: context.tenantId,
  slug: 'acme',
  name: 'Acme',
  timezone: 'UTC',
  locale: 'en',
  status: 'active',
  createdAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
  version: 4,
};

function setup(found: TenantView | undefined) {
  const tx = new FakeTenantTransaction();
  const tenants = {
    findForUpdate: jest.fn<TenantsRepository['findForUpdate']>().mockResolvedValue(found),
    updateProfile: jest.fn<TenantsRepository['updateProfile']>(async (_tx: TenantTx, profile) => ({ ...tenant, ...profile, version: tenant.version + 1 })),
  };
  const handler = new UpdateTenantHandler(tx.asTenantTransaction(), tenants as unknown as TenantsRepository);
  return { tx, tenants, handler };
}

describe('UpdateTenantHandler', () => {
  it('changes the fields given, keeps the others, audits the difference and emits tenant_updated', async () => {
    const { tx, tenants, handler } = setup(tenant);
    const after = await handler.execute(new UpdateTenantCommand(context, { name: 'Acme Ltd' }, 4));
    expect(tenants.updateProfile).toHaveBeenCalledWith(expect.anything(), { name: 'Acme Ltd', timezone: 'UTC', locale: 'en' });
    expect(after).toMatchObject({ name: 'Acme Ltd', version: 5 });
    expect(tx.audits).toEqual([
      { action: 'tenant.updated', entityType: 'tenant', entityId: context.tenantId, before: { name: 'Acme', timezone: 'UTC', locale: 'en' }, after: { name: 'Acme Ltd', timezone: 'UTC', locale: 'en' } },
    ]);
    expect(tx.emitted).toEqual([{ type: 'tenancy.tenant_updated', aggregateId: context.tenantId, payload: { name: 'Acme Ltd', timezone: 'UTC', locale: 'en' } }]);
  });

  it('answers 412 when the caller saw another version, and writes nothing', async () => {
    const { tx, tenants, handler } = setup(tenant);
    const error = await handler.execute(new UpdateTenantCommand(context, { name: 'Acme Ltd' }, 3)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProblemException);
    expect(error).toMatchObject({ problem: { status: 412, type: 'precondition-failed' } });
    expect(tenants.updateProfile).not.toHaveBeenCalled();
    expect(tx.events).toEqual([]);
    expect(tx.audits).toEqual([]);
  });

  it('answers 404 for a tenant being deleted (or gone)', async () => {
    for (const found of [{ ...tenant, status: 'deleting' as const }, undefined]) {
      const { tx, tenants, handler } = setup(found);
      await expect(handler.execute(new UpdateTenantCommand(context, { locale: 'de' }, null))).rejects.toMatchObject({ problem: { status: 404, type: 'not-found' } });
      expect(tenants.updateProfile).not.toHaveBeenCalled();
      expect(tx.events).toEqual([]);
    }
  });
});
