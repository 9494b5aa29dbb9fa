import { jest } from '@jest/globals';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { ContactsRepository } from '../../repositories/contacts.repository';
import type { OrganizationsRepository } from '../../repositories/organizations.repository';
import { DeleteOrganizationCommand } from './delete-organization.command';
import { DeleteOrganizationHandler } from './delete-organization.handler';

const context = testContext();

function setup(deleted: { name: string } | undefined) {
  const tx = new FakeTenantTransaction();
  const organizations = { softDelete: jest.fn<OrganizationsRepository['softDelete']>().mockResolvedValue(deleted) };
  const contacts = { detachFromOrganization: jest.fn<ContactsRepository['detachFromOrganization']>().mockResolvedValue(3) };
  const handler = new DeleteOrganizationHandler(tx.asTenantTransaction(), organizations as unknown as OrganizationsRepository, contacts as unknown as ContactsRepository);
  return { tx, contacts, handler };
}

describe('DeleteOrganizationHandler', () => {
  it('soft-deletes, detaches its contacts, audits how many and emits organization_deleted', async () => {
    const { tx, contacts, handler } = setup({ name: 'Acme' });
    await handler.execute(new DeleteOrganizationCommand(context, 'o1'));
    expect(contacts.detachFromOrganization).toHaveBeenCalledWith(expect.anything(), 'o1');
    expect(tx.audits).toEqual([{ action: 'organization.deleted', entityType: 'organization', entityId: 'o1', before: { name: 'Acme' }, after: { contactsDetached: 3 } }]);
    expect(tx.emitted).toEqual([{ type: 'customers.organization_deleted', aggregateId: 'o1', payload: {} }]);
  });

  it('answers 404 for a missing (or already deleted) organization, detaching nothing', async () => {
    const { tx, contacts, handler } = setup(undefined);
    await expect(handler.execute(new DeleteOrganizationCommand(context, 'o9'))).rejects.toMatchObject({ problem: { status: 404 } });
    expect(contacts.detachFromOrganization).not.toHaveBeenCalled();
    expect(tx.events).toEqual([]);
  });
});
