import { jest } from '@jest/globals';
import type { TenantTx } from '@switchboard/platform';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { AddressesRepository } from '../../repositories/addresses.repository';
import type { AddressView } from '../../repositories/addresses.sql';
import type { ContactsRepository } from '../../repositories/contacts.repository';
import type { ContactView } from '../../repositories/contacts.sql';
import { SaveAddressCommand } from './save-address.command';
import { SaveAddressHandler } from './save-address.handler';

const context = testContext();
const contact = { id: 'c1' } as ContactView;
const address: AddressView = {
  id: 'a1',
  contactId: 'c1',
  label: 'Home',
  street: '1 High St',
  city: 'Leeds',
  region: null,
  postalCode: 'LS1 1AA',
  country: 'GB',
  accessNotes: null,
  createdAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
  version: 1,
};
const fieldsOf = ({ label, street, city, region, postalCode, country, accessNotes }: AddressView) => ({ label, street, city, region, postalCode, country, accessNotes });

function setup(options: { contact?: ContactView; address?: AddressView } = { contact, address }) {
  const tx = new FakeTenantTransaction();
  const contacts = { findForUpdate: jest.fn<ContactsRepository['findForUpdate']>().mockResolvedValue(options.contact) };
  const addresses = {
    findForUpdate: jest.fn<AddressesRepository['findForUpdate']>().mockResolvedValue(options.address),
    insert: jest.fn<AddressesRepository['insert']>(async (_tx: TenantTx, contactId, fields) => ({ ...address, id: 'a2', contactId, ...fields })),
    update: jest.fn<AddressesRepository['update']>(async (_tx: TenantTx, _id, fields) => ({ ...address, ...fields, version: 2 })),
    remove: jest.fn<AddressesRepository['remove']>().mockResolvedValue(undefined),
  };
  const handler = new SaveAddressHandler(tx.asTenantTransaction(), contacts as unknown as ContactsRepository, addresses as unknown as AddressesRepository);
  return { tx, addresses, handler };
}

describe('SaveAddressHandler', () => {
  it('adds an address to the contact and audits it on the contact', async () => {
    const { tx, addresses, handler } = setup({ contact });
    const added = await handler.execute(new SaveAddressCommand(context, 'c1', null, { label: 'Work', city: 'York' }));
    expect(addresses.insert).toHaveBeenCalledWith(expect.anything(), 'c1', { label: 'Work', city: 'York' });
    expect(added).toMatchObject({ id: 'a2', label: 'Work', city: 'York' });
    expect(tx.audits).toEqual([{ action: 'contact.address_added', entityType: 'contact', entityId: 'c1', before: null, after: fieldsOf(added!) }]);
  });

  it('changes the fields given and audits before and after', async () => {
    const { tx, addresses, handler } = setup();
    const changed = await handler.execute(new SaveAddressCommand(context, 'c1', 'a1', { city: 'Bradford', accessNotes: 'Gate code 1234' }));
    expect(addresses.update).toHaveBeenCalledWith(expect.anything(), 'a1', { city: 'Bradford', accessNotes: 'Gate code 1234' });
    expect(tx.audits).toEqual([{ action: 'contact.address_updated', entityType: 'contact', entityId: 'c1', before: fieldsOf(address), after: fieldsOf(changed!) }]);
  });

  it('removes an address and audits what it was', async () => {
    const { tx, addresses, handler } = setup();
    expect(await handler.execute(new SaveAddressCommand(context, 'c1', 'a1', 'remove'))).toBeNull();
    expect(addresses.remove).toHaveBeenCalledWith(expect.anything(), 'a1');
    expect(tx.audits).toEqual([{ action: 'contact.address_removed', entityType: 'contact', entityId: 'c1', before: fieldsOf(address) }]);
  });

  it.each([
    ['the contact', { address }, 'Contact c1'],
    ['the address (or it is another contact’s)', { contact }, 'Address a1'],
  ])('answers 404 when %s is missing, writing nothing', async (_name, found, what) => {
    const { tx, addresses, handler } = setup(found);
    await expect(handler.execute(new SaveAddressCommand(context, 'c1', 'a1', { city: 'Hull' }))).rejects.toMatchObject({ problem: { status: 404, detail: `${what} does not exist.` } });
    expect(addresses.update).not.toHaveBeenCalled();
    expect(addresses.remove).not.toHaveBeenCalled();
    expect(tx.audits).toEqual([]);
  });
});
