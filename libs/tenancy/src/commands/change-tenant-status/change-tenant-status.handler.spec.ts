import { jest } from '@jest/globals';
import type { TenantTx } from '@switchboard/platform';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { AccessCache } from '../../auth/access-cache';
import type { TenantsRepository } from '../../repositories/tenants.repository';
import type { TenantView } from '../../repositories/tenants.sql';
import { ChangeTenantStatusCommand } from './change-tenant-status.command';
import { ChangeTenantStatusHandler } from './change-tenant-status.handler';

const context = testContext({ actorType: 'platform_admin' });
const tenant = (status: TenantView['status']): TenantView => ({
  id: context.tenantId,
  slug: 'acme',
  name: 'Acme',
  timezone: 'UTC',
  locale: 'en',
  status,
  createdAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
  version: 2,
});

function setup(found: TenantView | undefined) {
  const tx = new FakeTenantTransaction();
  const access = { changed: jest.fn<AccessCache['changed']>().mockResolvedValue(undefined) };
  const tenants = {
    findForUpdate: jest.fn<TenantsRepository['findForUpdate']>().mockResolvedValue(found),
    setStatus: jest.fn<TenantsRepository['setStatus']>(async (_tx: TenantTx, status) => ({ ...tenant(status), version: 3 })),
  };
  const handler = new ChangeTenantStatusHandler(tx.asTenantTransaction(), access as unknown as AccessCache, tenants as unknown as TenantsRepository);
  return { tx, access, tenants, handler };
}

describe('ChangeTenantStatusHandler', () => {
  it('suspends: audits the change, emits tenant_suspended and drops cached credentials after the commit', async () => {
    const { tx, access, tenants, handler } = setup(tenant('active'));
    const view = await handler.execute(new ChangeTenantStatusCommand(context, 'suspended'));
    expect(view).toMatchObject({ status: 'suspended', version: 3 });
    expect(tenants.setStatus).toHaveBeenCalledWith(expect.anything(), 'suspended');
    expect(tx.audits).toEqual([{ action: 'tenant.suspended', entityType: 'tenant', entityId: context.tenantId, before: { status: 'active' }, after: { status: 'suspended' } }]);
    expect(tx.emitted).toEqual([{ type: 'tenancy.tenant_suspended', aggregateId: context.tenantId, payload: {} }]);
    expect(access.changed).toHaveBeenCalledWith(context.tenantId);
  });

  it('reactivates with tenant_reactivated', async () => {
    const { tx, handler } = setup(tenant('suspended'));
    await handler.execute(new ChangeTenantStatusCommand(context, 'active'));
    expect(tx.audits.map((a) => a.action)).toEqual(['tenant.reactivated']);
    expect(tx.emitted.map((e) => e.type)).toEqual(['tenancy.tenant_reactivated']);
  });

  it('is idempotent: the same status again writes, audits and emits nothing', async () => {
    const { tx, tenants, handler } = setup(tenant('suspended'));
    expect(await handler.execute(new ChangeTenantStatusCommand(context, 'suspended'))).toMatchObject({ status: 'suspended', version: 2 });
    expect(tenants.setStatus).not.toHaveBeenCalled();
    expect(tx.audits).toEqual([]);
    expect(tx.events).toEqual([]);
  });

  it('answers 404 for a tenant being deleted, without touching the cache', async () => {
    const { tx, access, tenants, handler } = setup(tenant('deleting'));
    await expect(handler.execute(new ChangeTenantStatusCommand(context, 'active'))).rejects.toMatchObject({ problem: { status: 404 } });
    expect(tenants.setStatus).not.toHaveBeenCalled();
    expect(tx.events).toEqual([]);
    expect(access.changed).not.toHaveBeenCalled();
  });
});
