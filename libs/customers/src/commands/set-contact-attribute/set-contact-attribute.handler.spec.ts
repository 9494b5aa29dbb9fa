import { jest } from '@jest/globals';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { ContactAttributesRepository } from '../../repositories/contact-attributes.repository';
import type { AttributeWrite, ContactAttributeView } from '../../repositories/contact-attributes.sql';
import type { ContactsRepository } from '../../repositories/contacts.repository';
import { DeleteContactAttributeCommand } from '../delete-contact-attribute/delete-contact-attribute.command';
import { DeleteContactAttributeHandler } from '../delete-contact-attribute/delete-contact-attribute.handler';
import { SetContactAttributeCommand } from './set-contact-attribute.command';
import { SetContactAttributeHandler } from './set-contact-attribute.handler';

const FROM_CLOSE_OUT: ContactAttributeView = {
  contactId: 'c1',
  key: 'pets',
  value: 'a dog',
  provenance: { source: 'close_out', jobId: 'j1', aiValue: 'dog', aiConfidence: 0.9, confirmedBy: 'tech-1', confirmedAt: '2999-01-01T00:00:00.000Z' },
  version: 1,
};

function setup(contactExists = true, stored: ContactAttributeView[] = [FROM_CLOSE_OUT]) {
  const tx = new FakeTenantTransaction();
  const contacts = { findForUpdate: jest.fn(async () => (contactExists ? { id: 'c1' } : undefined)) };
  const attributes = {
    list: jest.fn(async () => stored),
    upsert: jest.fn(async (_tx: unknown, contactId: string, w: AttributeWrite) => ({ contactId, key: w.key, value: w.value, provenance: { ...w }, version: 2 })),
    remove: jest.fn(async (_tx: unknown, _c: string, key: string) => stored.find((a) => a.key === key)),
  };
  const deps = [tx.asTenantTransaction(), contacts as unknown as ContactsRepository, attributes as unknown as ContactAttributesRepository] as const;
  return { tx, attributes, set: new SetContactAttributeHandler(...deps), remove: new DeleteContactAttributeHandler(...deps) };
}

describe('SetContactAttributeHandler and DeleteContactAttributeHandler', () => {
  it('sets a value by hand, keeping the AI’s value and never dating itself before the stored confirmation', async () => {
    const { tx, attributes, set } = setup();
    await set.execute(new SetContactAttributeCommand(testContext(), 'c1', 'pets', ' two cats '));
    expect(attributes.upsert).toHaveBeenCalledWith(expect.anything(), 'c1', {
      key: 'pets',
      value: 'two cats',
      aiValue: 'dog',
      aiConfidence: 0.9,
      source: 'manual',
      jobId: 'j1',
      confirmedBy: testContext().actorId,
      confirmedAt: '2999-01-01T00:00:00.000Z',
    });
    expect(tx.audits).toEqual([expect.objectContaining({ action: 'contact.attribute_set', before: { pets: 'a dog' }, after: { pets: 'two cats' } })]);
  });

  it('answers 404 for a missing contact or value and 422 for an unknown key, writing nothing', async () => {
    const missing = setup(false);
    await expect(missing.set.execute(new SetContactAttributeCommand(testContext(), 'c1', 'pets', 'cat'))).rejects.toMatchObject({ problem: { status: 404 } });
    const empty = setup(true, []);
    await expect(empty.remove.execute(new DeleteContactAttributeCommand(testContext(), 'c1', 'pets'))).rejects.toMatchObject({ problem: { status: 404 } });
    await expect(empty.set.execute(new SetContactAttributeCommand(testContext(), 'c1', 'shoe_size', '44'))).rejects.toMatchObject({ problem: { status: 422, type: 'unknown-attribute' } });
    await expect(empty.set.execute(new SetContactAttributeCommand(testContext(), 'c1', 'pets', 'x'.repeat(501)))).rejects.toMatchObject({ problem: { status: 422 } });
    expect(missing.attributes.upsert).not.toHaveBeenCalled();
    expect(empty.attributes.upsert).not.toHaveBeenCalled();
    expect([...missing.tx.audits, ...empty.tx.audits]).toEqual([]);
  });

  it('removes a stored value with an audit entry', async () => {
    const { tx, remove } = setup();
    await remove.execute(new DeleteContactAttributeCommand(testContext(), 'c1', 'pets'));
    expect(tx.audits).toEqual([expect.objectContaining({ action: 'contact.attribute_deleted', before: { pets: 'a dog' } })]);
  });
});
