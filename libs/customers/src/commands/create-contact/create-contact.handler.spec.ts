import { jest } from '@jest/globals';
import type { TenantTx } from '@switchboard/platform';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { Identity } from '../../domain/identities';
import type { ContactsRepository } from '../../repositories/contacts.repository';
import type { ContactView } from '../../repositories/contacts.sql';
import type { OrganizationsRepository } from '../../repositories/organizations.repository';
import { CreateContactCommand } from './create-contact.command';
import { CreateContactHandler } from './create-contact.handler';

const context = testContext();

function setup(options: { organizationExists?: boolean; taken?: Identity[] } = {}) {
  const tx = new FakeTenantTransaction();
  const rows = new Map<string, ContactView>();
  const contacts = {
    insert: jest.fn<ContactsRepository['insert']>(async (_tx: TenantTx, id, profile) => {
      rows.set(id, { id, ...profile, emails: [], phones: [], channelIdentities: [], createdAt: '2026-12-01T00:00:00.000Z', updatedAt: '2026-12-01T00:00:00.000Z', version: 1 });
    }),
    attachIdentities: jest.fn<ContactsRepository['attachIdentities']>(async (_tx: TenantTx, id, identities) => {
      if (options.taken) return options.taken;
      const row = rows.get(id)!;
      row.emails = identities.filter((i) => i.kind === 'email').map((i) => i.value);
      row.phones = identities.filter((i) => i.kind === 'phone').map((i) => i.value);
      return [];
    }),
    find: jest.fn<ContactsRepository['find']>(async (_tx: TenantTx, id) => rows.get(id)),
  };
  const organizations = { exists: jest.fn<OrganizationsRepository['exists']>().mockResolvedValue(options.organizationExists ?? true) };
  const handler = new CreateContactHandler(tx.asTenantTransaction(), contacts as unknown as ContactsRepository, organizations as unknown as OrganizationsRepository);
  return { tx, contacts, organizations, handler };
}

describe('CreateContactHandler', () => {
  it('creates the contact with normalised identities, audits its snapshot and emits contact_created', async () => {
    const { tx, contacts, organizations, handler } = setup();
    const contact = await handler.execute(new CreateContactCommand(context, { name: 'Ada', emails: [' Ada@Example.COM '], phones: ['+44 20 7946 0018'], organizationId: 'org-1' }));
    expect(organizations.exists).toHaveBeenCalledWith(expect.anything(), 'org-1');
    expect(contacts.insert).toHaveBeenCalledWith(expect.anything(), contact.id, { name: 'Ada', organizationId: 'org-1', locale: null, timezone: null, notes: null });
    expect(contacts.attachIdentities).toHaveBeenCalledWith(expect.anything(), contact.id, [
      { kind: 'email', value: 'ada@example.com' },
      { kind: 'phone', value: '+442079460018' },
    ]);
    const snapshot = { id: contact.id, name: 'Ada', emails: ['ada@example.com'], phones: ['+442079460018'], channelIdentities: [], organizationId: 'org-1', locale: null, timezone: null, notes: null };
    expect(tx.audits).toEqual([{ action: 'contact.created', entityType: 'contact', entityId: contact.id, after: snapshot }]);
    expect(tx.emitted).toEqual([{ type: 'customers.contact_created', aggregateId: contact.id, payload: { contact: snapshot } }]);
  });

  it('refuses an invalid phone number with 400 before writing anything', async () => {
    const { tx, contacts, handler } = setup();
    await expect(handler.execute(new CreateContactCommand(context, { name: 'Ada', phones: ['12'] }))).rejects.toMatchObject({
      problem: { status: 400, type: 'validation-failed', errors: [{ field: 'phones.0' }] },
    });
    expect(contacts.insert).not.toHaveBeenCalled();
    expect(tx.events).toEqual([]);
  });

  it('refuses an unknown organization with 422 invalid-reference', async () => {
    const { tx, contacts, handler } = setup({ organizationExists: false });
    await expect(handler.execute(new CreateContactCommand(context, { name: 'Ada', organizationId: 'org-9' }))).rejects.toMatchObject({ problem: { status: 422, type: 'invalid-reference' } });
    expect(contacts.insert).not.toHaveBeenCalled();
    expect(tx.events).toEqual([]);
  });

  it('refuses an email another contact holds with 409 identity-taken, naming it; the transaction records nothing', async () => {
    const { tx, handler } = setup({ taken: [{ kind: 'email', value: 'ada@example.com' }] });
    await expect(handler.execute(new CreateContactCommand(context, { name: 'Ada', emails: ['ada@example.com'] }))).rejects.toMatchObject({
      problem: { status: 409, type: 'identity-taken', errors: [{ field: 'emails', message: 'ada@example.com belongs to another contact' }] },
    });
    expect(tx.committed).toEqual([]);
    expect(tx.audits).toEqual([]);
    expect(tx.events).toEqual([]);
  });
});
