import { jest } from '@jest/globals';
import type { TenantTx } from '@switchboard/platform';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { ContactsRepository } from '../../repositories/contacts.repository';
import type { ContactView } from '../../repositories/contacts.sql';
import { SetContactLocaleCommand } from './set-contact-locale.command';
import { SetContactLocaleHandler } from './set-contact-locale.handler';

const context = testContext();
const contact: ContactView = {
  id: 'c1',
  name: 'Kim',
  emails: [],
  phones: [],
  channelIdentities: [{ channel: 'whatsapp', externalId: '5511999' }],
  organizationId: null,
  locale: null,
  timezone: null,
  notes: null,
  createdAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
  version: 1,
};

function setup(found: ContactView | undefined) {
  const tx = new FakeTenantTransaction();
  let stored = found && { ...found };
  const contacts = {
    findForUpdate: jest.fn<ContactsRepository['findForUpdate']>().mockResolvedValue(found),
    update: jest.fn<ContactsRepository['update']>(async (_tx: TenantTx, _id, profile) => {
      stored = { ...stored!, ...profile, version: stored!.version + 1 };
    }),
    find: jest.fn<ContactsRepository['find']>(async () => stored),
  };
  const handler = new SetContactLocaleHandler(tx.asTenantTransaction(), contacts as unknown as ContactsRepository);
  return { tx, contacts, set: (locale: string) => handler.execute(new SetContactLocaleCommand(context, 'c1', locale, 'detected from whatsapp')) };
}

describe('SetContactLocaleHandler', () => {
  it('stores a detected language on a contact without one, with audit and event', async () => {
    const { tx, contacts, set } = setup(contact);
    expect(await set('pt')).toMatchObject({ locale: 'pt', version: 2 });
    expect(contacts.update).toHaveBeenCalledWith(expect.anything(), 'c1', { name: 'Kim', organizationId: null, locale: 'pt', timezone: null, notes: null });
    expect(tx.audits).toEqual([{ action: 'contact.locale_detected', entityType: 'contact', entityId: 'c1', before: { locale: null }, after: { locale: 'pt', source: 'detected from whatsapp' } }]);
    expect(tx.emitted.map((e) => e.type)).toEqual(['customers.contact_updated']);
  });

  it('never overwrites a language the contact already has, refuses a non-tag, and 404s a missing contact', async () => {
    const kept = setup({ ...contact, locale: 'en-GB' });
    expect(await kept.set('pt')).toMatchObject({ locale: 'en-GB' });
    expect(kept.contacts.update).not.toHaveBeenCalled();
    await expect(setup(contact).set('not a tag!')).rejects.toMatchObject({ problem: { status: 400 } });
    await expect(setup(undefined).set('pt')).rejects.toMatchObject({ problem: { status: 404 } });
  });
});
