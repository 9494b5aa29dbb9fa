import { jest } from '@jest/globals';
import type { TenantTx } from '@switchboard/platform';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { AddressesRepository } from '../../repositories/addresses.repository';
import type { ContactAttributesRepository } from '../../repositories/contact-attributes.repository';
import type { ContactsRepository } from '../../repositories/contacts.repository';
import type { ContactView } from '../../repositories/contacts.sql';
import { MergeContactsCommand } from './merge-contacts.command';
import { MergeContactsHandler } from './merge-contacts.handler';

const context = testContext();
const contact = (id: string, email: string): ContactView => ({
  id,
  name: id,
  emails: [email],
  phones: [],
  channelIdentities: [],
  organizationId: null,
  locale: null,
  timezone: null,
  notes: null,
  createdAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
  version: 1,
});
const target = contact('b-target', 'target@example.com');
const source = contact('a-source', 'source@example.com');

function setup(present: ContactView[]) {
  const tx = new FakeTenantTransaction();
  const byId = new Map(present.map((c) => [c.id, c]));
  const contacts = {
    findForUpdate: jest.fn<ContactsRepository['findForUpdate']>(async (_tx: TenantTx, id) => byId.get(id)),
    moveIdentities: jest.fn<ContactsRepository['moveIdentities']>().mockResolvedValue(undefined),
    foldInto: jest.fn<ContactsRepository['foldInto']>().mockResolvedValue(undefined),
    find: jest.fn<ContactsRepository['find']>().mockResolvedValue({ ...target, emails: ['source@example.com', 'target@example.com'], version: 2 }),
  };
  const addresses = { moveToContact: jest.fn<AddressesRepository['moveToContact']>().mockResolvedValue(undefined) };
  const attributes = { moveToContact: jest.fn<ContactAttributesRepository['moveToContact']>().mockResolvedValue(undefined) };
  const handler = new MergeContactsHandler(
    tx.asTenantTransaction(),
    contacts as unknown as ContactsRepository,
    addresses as unknown as AddressesRepository,
    attributes as unknown as ContactAttributesRepository,
  );
  const nothingMoved = () => {
    expect(contacts.moveIdentities).not.toHaveBeenCalled();
    expect(addresses.moveToContact).not.toHaveBeenCalled();
    expect(attributes.moveToContact).not.toHaveBeenCalled();
    expect(contacts.foldInto).not.toHaveBeenCalled();
    expect(tx.audits).toEqual([]);
    expect(tx.events).toEqual([]);
  };
  return { tx, contacts, addresses, attributes, handler, nothingMoved };
}

describe('MergeContactsHandler', () => {
  it('locks both in id order, moves identities, addresses and attributes, folds the source in, audits and emits contacts_merged', async () => {
    const { tx, contacts, addresses, attributes, handler } = setup([target, source]);
    const merged = await handler.execute(new MergeContactsCommand(context, target.id, source.id));
    expect(contacts.findForUpdate.mock.calls.map((c) => c[1])).toEqual(['a-source', 'b-target']);
    expect(contacts.moveIdentities).toHaveBeenCalledWith(expect.anything(), source.id, target.id);
    expect(addresses.moveToContact).toHaveBeenCalledWith(expect.anything(), source.id, target.id);
    expect(attributes.moveToContact).toHaveBeenCalledWith(expect.anything(), source.id, target.id);
    expect(contacts.foldInto).toHaveBeenCalledWith(expect.anything(), target.id, source.id);
    expect(merged.emails).toEqual(['source@example.com', 'target@example.com']);
    expect(tx.audits).toEqual([
      {
        action: 'contact.merged',
        entityType: 'contact',
        entityId: target.id,
        before: { emails: ['target@example.com'], phones: [] },
        after: { emails: ['source@example.com', 'target@example.com'], phones: [], mergedFrom: source.id },
      },
    ]);
    expect(tx.emitted).toEqual([{ type: 'customers.contacts_merged', aggregateId: target.id, payload: { targetId: target.id, sourceId: source.id } }]);
  });

  it('refuses merging a contact into itself with 422 merge-into-self, before opening a transaction', async () => {
    const { tx, contacts, handler, nothingMoved } = setup([target]);
    // Thrown or rejected, either way.
    await expect(Promise.resolve().then(() => handler.execute(new MergeContactsCommand(context, target.id, target.id)))).rejects.toMatchObject({
      problem: { status: 422, type: 'merge-into-self' },
    });
    expect(contacts.findForUpdate).not.toHaveBeenCalled();
    expect(tx.committed).toEqual([]);
    nothingMoved();
  });

  it.each([
    ['the target', [source]],
    ['the source', [target]],
  ])('answers 404 when %s is missing, moving nothing', async (_name, present) => {
    const { handler, nothingMoved } = setup(present);
    await expect(handler.execute(new MergeContactsCommand(context, target.id, source.id))).rejects.toMatchObject({ problem: { status: 404 } });
    nothingMoved();
  });
});
