import { jest } from '@jest/globals';
import type { TenantTx } from '@switchboard/platform';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { OrganizationsRepository } from '../../repositories/organizations.repository';
import type { OrganizationView } from '../../repositories/organizations.sql';
import { SaveOrganizationCommand } from './save-organization.command';
import { SaveOrganizationHandler } from './save-organization.handler';

const context = testContext();
const organization: OrganizationView = { id: 'o1', name: 'Acme', domains: ['acme.test'], notes: 'Key account', createdAt: '2026-12-01T00:00:00.000Z', updatedAt: '2026-12-01T00:00:00.000Z', version: 2 };

function setup(found: OrganizationView | undefined) {
  const tx = new FakeTenantTransaction();
  const organizations = {
    findForUpdate: jest.fn<OrganizationsRepository['findForUpdate']>().mockResolvedValue(found),
    insert: jest.fn<OrganizationsRepository['insert']>(async (_tx: TenantTx, profile) => ({ ...organization, ...profile, id: 'o2', version: 1 })),
    update: jest.fn<OrganizationsRepository['update']>(async (_tx: TenantTx, id, profile) => ({ ...organization, ...profile, id, version: 3 })),
  };
  const handler = new SaveOrganizationHandler(tx.asTenantTransaction(), organizations as unknown as OrganizationsRepository);
  return { tx, organizations, handler };
}

describe('SaveOrganizationHandler', () => {
  it('creates with normalised, de-duplicated domains and emits organization_created', async () => {
    const { tx, organizations, handler } = setup(organization);
    const created = await handler.execute(new SaveOrganizationCommand(context, null, { name: 'Beta', domains: ['@Beta.test', 'beta.test ', 'alpha.test'] }));
    expect(organizations.findForUpdate).not.toHaveBeenCalled();
    expect(organizations.insert).toHaveBeenCalledWith(expect.anything(), { name: 'Beta', domains: ['alpha.test', 'beta.test'], notes: null });
    const snapshot = { name: 'Beta', domains: ['alpha.test', 'beta.test'], notes: null };
    expect(tx.audits).toEqual([{ action: 'organization.created', entityType: 'organization', entityId: created.id, before: null, after: snapshot }]);
    expect(tx.emitted).toEqual([{ type: 'customers.organization_created', aggregateId: 'o2', payload: snapshot }]);
  });

  it('changes the fields given, keeps the others, and emits organization_updated', async () => {
    const { tx, organizations, handler } = setup(organization);
    await handler.execute(new SaveOrganizationCommand(context, 'o1', { notes: null }, 2));
    expect(organizations.update).toHaveBeenCalledWith(expect.anything(), 'o1', { name: 'Acme', domains: ['acme.test'], notes: null });
    expect(tx.audits).toEqual([
      { action: 'organization.updated', entityType: 'organization', entityId: 'o1', before: { name: 'Acme', domains: ['acme.test'], notes: 'Key account' }, after: { name: 'Acme', domains: ['acme.test'], notes: null } },
    ]);
    expect(tx.emitted).toEqual([{ type: 'customers.organization_updated', aggregateId: 'o1', payload: { name: 'Acme', domains: ['acme.test'], notes: null } }]);
  });

  it('answers 412 for a stale version and 404 for a missing organization, writing nothing', async () => {
    for (const [found, version, problem] of [
      [organization, 1, { status: 412, type: 'precondition-failed' }],
      [undefined, null, { status: 404, type: 'not-found' }],
    ] as [OrganizationView | undefined, number | null, object][]) {
      const { tx, organizations, handler } = setup(found);
      await expect(handler.execute(new SaveOrganizationCommand(context, 'o1', { name: 'X' }, version))).rejects.toMatchObject({ problem });
      expect(organizations.update).not.toHaveBeenCalled();
      expect(tx.events).toEqual([]);
    }
  });
});
