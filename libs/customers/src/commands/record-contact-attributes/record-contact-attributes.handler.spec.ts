import { jest } from '@jest/globals';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { ContactAttributesRepository } from '../../repositories/contact-attributes.repository';
import type { AttributeWrite } from '../../repositories/contact-attributes.sql';
import type { ContactsRepository } from '../../repositories/contacts.repository';
import { RecordContactAttributesCommand, type ConfirmedAttribute } from './record-contact-attributes.command';
import { RecordContactAttributesHandler } from './record-contact-attributes.handler';

const PROVENANCE = { jobId: 'j1', confirmedBy: 'tech-1', confirmedAt: '2026-12-01T08:00:00.000Z' };

function setup(contactExists = true, newerStored: string[] = []) {
  const tx = new FakeTenantTransaction();
  const contacts = { find: jest.fn(async () => (contactExists ? { id: 'c1' } : undefined)) };
  const attributes = {
    upsert: jest.fn(async (_tx: unknown, contactId: string, w: AttributeWrite) =>
      newerStored.includes(w.key)
        ? undefined
        : { contactId, key: w.key, value: w.value, provenance: { source: w.source, jobId: w.jobId, aiValue: w.aiValue, aiConfidence: w.aiConfidence, confirmedBy: w.confirmedBy, confirmedAt: w.confirmedAt }, version: 1 },
    ),
  };
  const handler = new RecordContactAttributesHandler(tx.asTenantTransaction(), contacts as unknown as ContactsRepository, attributes as unknown as ContactAttributesRepository);
  const run = (list: ConfirmedAttribute[]) => handler.execute(new RecordContactAttributesCommand(testContext(), 'c1', list, PROVENANCE));
  return { tx, attributes, run };
}

describe('RecordContactAttributesHandler', () => {
  it('stores each confirmed value with its provenance and one audit entry', async () => {
    const { tx, attributes, run } = setup();
    const stored = await run([
      { key: 'pets', value: ' a dog ', aiValue: 'dog', aiConfidence: 0.9 },
      { key: 'gate_code', value: '4512', aiValue: null, aiConfidence: null },
    ]);
    expect(stored.map((a) => [a.key, a.value])).toEqual([
      ['pets', 'a dog'],
      ['gate_code', '4512'],
    ]);
    expect(attributes.upsert).toHaveBeenCalledWith(expect.anything(), 'c1', { key: 'pets', value: 'a dog', aiValue: 'dog', aiConfidence: 0.9, source: 'close_out', ...PROVENANCE });
    expect(tx.audits).toEqual([expect.objectContaining({ action: 'contact.attributes_recorded', entityId: 'c1', after: { jobId: 'j1', attributes: { pets: 'a dog', gate_code: '4512' } } })]);
  });

  it('leaves a value confirmed later alone and audits only what changed', async () => {
    const { tx, run } = setup(true, ['pets']);
    expect(await run([{ key: 'pets', value: 'cat', aiValue: null, aiConfidence: null }])).toEqual([]);
    expect(tx.audits).toEqual([]);
  });

  it('stores nothing on a contact deleted meanwhile', async () => {
    const { attributes, run } = setup(false);
    expect(await run([{ key: 'pets', value: 'cat', aiValue: null, aiConfidence: null }])).toEqual([]);
    expect(attributes.upsert).not.toHaveBeenCalled();
  });

  it('refuses an unknown key before opening a transaction (422)', async () => {
    const { tx, run } = setup();
    await expect(run([{ key: 'shoe_size', value: '44', aiValue: null, aiConfidence: null }])).rejects.toMatchObject({ problem: { status: 422, type: 'unknown-attribute' } });
    expect(tx.committed).toEqual([]);
  });
});
