import { jest } from '@jest/globals';
import type { TenantTx } from '@switchboard/platform';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { Identity } from '../../domain/identities';
import type { ContactsRepository } from '../../repositories/contacts.repository';
import type { ContactView } from '../../repositories/contacts.sql';
import type { OrganizationsRepository } from '../../repositories/organizations.repository';
import { UpdateContactCommand } from './update-contact.command';
import { UpdateContactHandler } from './update-contact.handler';

const context = testContext();
const contact: ContactView = {
  id: 'c1',
  name: 'Ada',
  emails: ['ada@example.com'],
  phones: [],
  channelIdentities: [{ channel: 'telegram', externalId: '42' }],
  organizationId: null,
  locale: 'en',
  timezone: null,
  notes: 'VIP',
  createdAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
  version: 3,
};

function setup(found: ContactView | undefined, options: { organizationExists?: boolean; taken?: Identity[] } = {}) {
  const tx = new FakeTenantTransaction();
  let stored = found && { ...found };
  const contacts = {
    findForUpdate: jest.fn<ContactsRepository['findForUpdate']>().mockResolvedValue(found),
    update: jest.fn<ContactsRepository['update']>(async (_tx: TenantTx, _id, profile) => {
      stored = { ...stored!, ...profile, version: stored!.version + 1 };
    }),
    releaseIdentitiesExcept: jest.fn<ContactsRepository['releaseIdentitiesExcept']>().mockResolvedValue(undefined),
    attachIdentities: jest.fn<ContactsRepository['attachIdentities']>(async (_tx: TenantTx, _id, identities) => {
      if (options.taken) return options.taken;
      stored = { ...stored!, emails: identities.filter((i) => i.kind === 'email').map((i) => i.value) };
      return [];
    }),
    find: jest.fn<ContactsRepository['find']>(async () => stored),
  };
  const organizations = { exists: jest.fn<OrganizationsRepository['exists']>().mockResolvedValue(options.organizationExists ?? true) };
  const handler = new UpdateContactHandler(tx.asTenantTransaction(), contacts as unknown as ContactsRepository, organizations as unknown as OrganizationsRepository);
  return { tx, contacts, organizations, handler };
}

describe('UpdateContactHandler', () => {
  it('replaces the fields given, keeps the others, audits the difference and emits contact_updated with the new version', async () => {
    const { tx, contacts, organizations, handler } = setup(contact);
    const after = await handler.execute(new UpdateContactCommand(context, 'c1', { name: 'Ada L.', notes: null }, 3));
    expect(contacts.update).toHaveBeenCalledWith(expect.anything(), 'c1', { name: 'Ada L.', organizationId: null, locale: 'en', timezone: null, notes: null });
    // Identities untouched when none are given.
    expect(contacts.releaseIdentitiesExcept).not.toHaveBeenCalled();
    expect(contacts.attachIdentities).not.toHaveBeenCalled();
    expect(organizations.exists).not.toHaveBeenCalled();
    expect(after.version).toBe(4);
    expect(tx.audits).toEqual([
      { action: 'contact.updated', entityType: 'contact', entityId: 'c1', before: expect.objectContaining({ name: 'Ada', notes: 'VIP' }), after: expect.objectContaining({ name: 'Ada L.', notes: null }) },
    ]);
    expect(tx.emitted).toEqual([{ type: 'customers.contact_updated', aggregateId: 'c1', payload: { version: 4, contact: expect.objectContaining({ id: 'c1', name: 'Ada L.' }) } }]);
    expect(tx.emitted[0].payload).not.toHaveProperty('contact.version');
  });

  it('replaces one identity list and keeps the others', async () => {
    const { contacts, handler } = setup(contact);
    await handler.execute(new UpdateContactCommand(context, 'c1', { emails: ['new@example.com'] }, null));
    const kept = [
      { kind: 'email', value: 'new@example.com' },
      { kind: 'telegram', value: '42' },
    ];
    expect(contacts.releaseIdentitiesExcept).toHaveBeenCalledWith(expect.anything(), 'c1', kept);
    expect(contacts.attachIdentities).toHaveBeenCalledWith(expect.anything(), 'c1', kept);
  });

  it('answers 412 for a stale version and 404 for a missing contact, changing nothing', async () => {
    for (const [found, version, status] of [
      [contact, 2, 412],
      [undefined, null, 404],
    ] as [ContactView | undefined, number | null, number][]) {
      const { tx, contacts, handler } = setup(found);
      await expect(handler.execute(new UpdateContactCommand(context, 'c1', { name: 'X' }, version))).rejects.toMatchObject({ problem: { status } });
      expect(contacts.update).not.toHaveBeenCalled();
      expect(tx.events).toEqual([]);
    }
  });

  it('refuses an unknown organization with 422', async () => {
    const { tx, contacts, handler } = setup(contact, { organizationExists: false });
    await expect(handler.execute(new UpdateContactCommand(context, 'c1', { organizationId: 'org-9' }, null))).rejects.toMatchObject({ problem: { status: 422, type: 'invalid-reference' } });
    expect(contacts.update).not.toHaveBeenCalled();
    expect(tx.events).toEqual([]);
  });

  it('refuses an email another contact holds with 409, auditing and emitting nothing', async () => {
    const { tx, handler } = setup(contact, { taken: [{ kind: 'email', value: 'bo@example.com' }] });
    await expect(handler.execute(new UpdateContactCommand(context, 'c1', { emails: ['bo@example.com'] }, null))).rejects.toMatchObject({ problem: { status: 409, type: 'identity-taken' } });
    expect(tx.audits).toEqual([]);
    expect(tx.events).toEqual([]);
  });
});
