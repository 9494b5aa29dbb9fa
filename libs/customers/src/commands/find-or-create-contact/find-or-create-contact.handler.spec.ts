import { jest } from '@jest/globals';
import type { TenantTx } from '@switchboard/platform';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { ContactsRepository } from '../../repositories/contacts.repository';
import type { ContactView } from '../../repositories/contacts.sql';
import type { OrganizationsRepository } from '../../repositories/organizations.repository';
import { FindOrCreateContactCommand } from './find-or-create-contact.command';
import { FindOrCreateContactHandler } from './find-or-create-contact.handler';

const context = testContext();
const existing: ContactView = {
  id: 'c1',
  name: 'Ada',
  emails: ['ada@example.com'],
  phones: [],
  channelIdentities: [],
  organizationId: null,
  locale: null,
  timezone: null,
  notes: null,
  createdAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
  version: 1,
};

/** `holders`: who holds the identity on each look-up (a second look-up happens after losing a race). */
function setup(holders: (string | undefined)[], options: { loseRace?: boolean } = {}) {
  const tx = new FakeTenantTransaction();
  const rows = new Map<string, ContactView>([['c1', existing]]);
  const contacts = {
    lockIdentity: jest.fn<ContactsRepository['lockIdentity']>(async () => undefined),
    findIdByIdentity: jest.fn<ContactsRepository['findIdByIdentity']>(async () => holders.shift()),
    find: jest.fn<ContactsRepository['find']>(async (_tx: TenantTx, id) => rows.get(id)),
    insert: jest.fn<ContactsRepository['insert']>(async (_tx: TenantTx, id, profile) => {
      rows.set(id, { ...existing, ...profile, id, emails: [] });
    }),
    attachIdentities: jest.fn<ContactsRepository['attachIdentities']>(async (_tx: TenantTx, id, identities) => {
      if (options.loseRace) return identities;
      const row = rows.get(id)!;
      rows.set(id, { ...row, emails: identities.filter((i) => i.kind === 'email').map((i) => i.value), phones: identities.filter((i) => i.kind === 'phone').map((i) => i.value) });
      return [];
    }),
  };
  const organizations = { exists: jest.fn<OrganizationsRepository['exists']>().mockResolvedValue(true) };
  const handler = new FindOrCreateContactHandler(tx.asTenantTransaction(), contacts as unknown as ContactsRepository, organizations as unknown as OrganizationsRepository);
  return { tx, contacts, handler };
}

describe('FindOrCreateContactHandler', () => {
  it('returns the contact holding the identity, creating nothing', async () => {
    const { tx, contacts, handler } = setup(['c1']);
    expect(await handler.execute(new FindOrCreateContactCommand(context, { email: 'ADA@example.com' }, 'Someone'))).toEqual({ contact: existing, created: false });
    expect(contacts.findIdByIdentity).toHaveBeenCalledWith(expect.anything(), { kind: 'email', value: 'ada@example.com' });
    expect(contacts.insert).not.toHaveBeenCalled();
    expect(tx.events).toEqual([]);
  });

  it('creates a contact for a new identity, named after the email when no name is given, and emits contact_created', async () => {
    const { tx, contacts, handler } = setup([undefined]);
    const found = await handler.execute(new FindOrCreateContactCommand(context, { email: 'new.person@example.com' }, '  '));
    expect(found.created).toBe(true);
    expect(contacts.insert.mock.calls[0][2]).toMatchObject({ name: 'new.person' });
    expect(found.contact).toMatchObject({ name: 'new.person', emails: ['new.person@example.com'] });
    expect(tx.emitted).toEqual([{ type: 'customers.contact_created', aggregateId: found.contact.id, payload: { contact: expect.objectContaining({ name: 'new.person' }) } }]);
  });

  it('holds the normalised identity before looking it up, so concurrent attempts on it take turns', async () => {
    const { contacts, handler } = setup([undefined]);
    await handler.execute(new FindOrCreateContactCommand(context, { email: 'Late.Comer@Example.com' }, undefined));
    expect(contacts.lockIdentity).toHaveBeenCalledWith(expect.anything(), { kind: 'email', value: 'late.comer@example.com' });
    expect(contacts.lockIdentity.mock.invocationCallOrder[0]).toBeLessThan(contacts.findIdByIdentity.mock.invocationCallOrder[0]);
  });

  it('uses the given name and a normalised phone number', async () => {
    const { contacts, handler } = setup([undefined]);
    await handler.execute(new FindOrCreateContactCommand(context, { phone: '+44 20 7946 0018' }, 'Bo'));
    expect(contacts.findIdByIdentity).toHaveBeenCalledWith(expect.anything(), { kind: 'phone', value: '+442079460018' });
    expect(contacts.insert.mock.calls[0][2]).toMatchObject({ name: 'Bo' });
  });

  it('after losing the race for a new identity, looks again and returns the winner’s contact', async () => {
    const { tx, contacts, handler } = setup([undefined, 'c1'], { loseRace: true });
    expect(await handler.execute(new FindOrCreateContactCommand(context, { email: 'ada@example.com' }, undefined))).toEqual({ contact: existing, created: false });
    expect(contacts.findIdByIdentity).toHaveBeenCalledTimes(2);
    expect(tx.events).toEqual([]);
  });

  it.each([{}, { email: 'a@example.com', phone: '+442079460018' }])('asks for exactly one identity (400): %j', async (identity) => {
    const { tx, contacts, handler } = setup([]);
    await expect(handler.execute(new FindOrCreateContactCommand(context, identity, undefined))).rejects.toMatchObject({ problem: { status: 400, type: 'validation-failed' } });
    expect(contacts.findIdByIdentity).not.toHaveBeenCalled();
    expect(tx.committed).toEqual([]);
  });
});
