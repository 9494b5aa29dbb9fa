import { jest } from '@jest/globals';
import { ProblemException } from '@switchboard/platform';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { ContactsRepository } from '../../repositories/contacts.repository';
import type { ContactView } from '../../repositories/contacts.sql';
import { DeleteContactCommand } from './delete-contact.command';
import { DeleteContactHandler } from './delete-contact.handler';

const contact: ContactView = {
  id: 'c1',
  name: 'Ada',
  emails: ['ada@example.com'],
  phones: ['+441234567890'],
  channelIdentities: [],
  organizationId: null,
  locale: null,
  timezone: null,
  notes: null,
  createdAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
  version: 3,
};

function setup(found: ContactView | undefined) {
  const tx = new FakeTenantTransaction();
  const contacts = { findForUpdate: jest.fn(async () => found), softDelete: jest.fn(async () => undefined) };
  const handler = new DeleteContactHandler(tx.asTenantTransaction(), contacts as unknown as ContactsRepository);
  return { tx, contacts, handler };
}

describe('DeleteContactHandler', () => {
  it('releases the identities, audits what was released and emits contact_deleted', async () => {
    const { tx, contacts, handler } = setup(contact);
    await handler.execute(new DeleteContactCommand(testContext(), 'c1', 3));
    expect(contacts.softDelete).toHaveBeenCalledWith(expect.anything(), 'c1', { emails: ['ada@example.com'], phones: ['+441234567890'], channelIdentities: [] });
    expect(tx.audits).toEqual([{ action: 'contact.deleted', entityType: 'contact', entityId: 'c1', before: { name: 'Ada', emails: ['ada@example.com'], phones: ['+441234567890'], channelIdentities: [] } }]);
    expect(tx.emitted).toEqual([{ type: 'customers.contact_deleted', aggregateId: 'c1', payload: {} }]);
  });

  it('answers 404 for a missing contact and changes nothing', async () => {
    const { tx, contacts, handler } = setup(undefined);
    await expect(handler.execute(new DeleteContactCommand(testContext(), 'c1', null))).rejects.toMatchObject({ status: 404 });
    expect(contacts.softDelete).not.toHaveBeenCalled();
    expect(tx.events).toEqual([]);
  });

  it('refuses a stale version before deleting anything', async () => {
    const { tx, contacts, handler } = setup(contact);
    await expect(handler.execute(new DeleteContactCommand(testContext(), 'c1', 2))).rejects.toBeInstanceOf(ProblemException);
    expect(contacts.softDelete).not.toHaveBeenCalled();
    expect(tx.events).toEqual([]);
  });
});
