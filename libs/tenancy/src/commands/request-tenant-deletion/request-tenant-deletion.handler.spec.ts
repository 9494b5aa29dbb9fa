import { jest } from '@jest/globals';
import type { TenantTx } from '@switchboard/platform';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { AccessCache } from '../../auth/access-cache';
import type { TenantsRepository } from '../../repositories/tenants.repository';
import type { TenantView } from '../../repositories/tenants.sql';
import { RequestTenantDeletionCommand } from './request-tenant-deletion.command';
import { RequestTenantDeletionHandler } from './request-tenant-deletion.handler';

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
    setStatus: jest.fn<TenantsRepository['setStatus']>(async (_tx: TenantTx, status) => tenant(status)),
  };
  const handler = new RequestTenantDeletionHandler(tx.asTenantTransaction(), access as unknown as AccessCache, tenants as unknown as TenantsRepository);
  return { tx, access, tenants, handler };
}

describe('RequestTenantDeletionHandler', () => {
  it('marks the tenant deleting, audits it and hands the purge to the worker through tenant_deletion_requested', async () => {
    const { tx, access, tenants, handler } = setup(tenant('suspended'));
    expect(await handler.execute(new RequestTenantDeletionCommand(context))).toMatchObject({ status: 'deleting' });
    expect(tenants.setStatus).toHaveBeenCalledWith(expect.anything(), 'deleting');
    expect(tx.audits).toEqual([
      { action: 'tenant.deletion_requested', entityType: 'tenant', entityId: context.tenantId, before: { status: 'suspended' }, after: { status: 'deleting' } },
    ]);
    expect(tx.emitted).toEqual([{ type: 'tenancy.tenant_deletion_requested', aggregateId: context.tenantId, payload: { slug: 'acme' } }]);
    expect(access.changed).toHaveBeenCalledWith(context.tenantId);
  });

  it('asking again does not start a second purge', async () => {
    const { tx, tenants, handler } = setup(tenant('deleting'));
    expect(await handler.execute(new RequestTenantDeletionCommand(context))).toMatchObject({ status: 'deleting' });
    expect(tenants.setStatus).not.toHaveBeenCalled();
    expect(tx.events).toEqual([]);
    expect(tx.audits).toEqual([]);
  });

  it('answers 404 for an unknown tenant', async () => {
    const { tx, access, handler } = setup(undefined);
    await expect(handler.execute(new RequestTenantDeletionCommand(context))).rejects.toMatchObject({ problem: { status: 404 } });
    expect(tx.events).toEqual([]);
    expect(access.changed).not.toHaveBeenCalled();
  });
});
