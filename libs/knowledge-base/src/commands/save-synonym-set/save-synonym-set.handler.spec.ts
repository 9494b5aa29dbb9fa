import { jest } from '@jest/globals';
import type { TenantTx } from '@switchboard/platform';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { SynonymsRepository } from '../../repositories/synonyms.repository';
import type { SynonymSetView } from '../../repositories/synonyms.sql';
import { SYNONYM_SETS_MAX } from '../../domain/synonyms';
import { SaveSynonymSetCommand } from './save-synonym-set.command';
import { SaveSynonymSetHandler } from './save-synonym-set.handler';

const aSet = (over: Partial<SynonymSetView> = {}): SynonymSetView => ({ id: 'syn-1', terms: ['wlan', 'wi fi'], createdAt: '2026-12-07T00:00:00.000Z', updatedAt: '2026-12-07T00:00:00.000Z', version: 1, ...over });

function setup(stored: SynonymSetView | undefined, count = 0) {
  const tx = new FakeTenantTransaction();
  const synonyms = {
    find: jest.fn(async () => stored),
    count: jest.fn(async () => count),
    insert: jest.fn(async (_tx: TenantTx, terms: string[]) => aSet({ id: 'syn-new', terms })),
    update: jest.fn(async (_tx: TenantTx, id: string, terms: string[]) => aSet({ id, terms, version: stored!.version + 1 })),
  };
  const handler = new SaveSynonymSetHandler(tx.asTenantTransaction(), synonyms as unknown as SynonymsRepository);
  const save = (id: string | null, terms: string[], expectedVersion: number | null = null) => handler.execute(new SaveSynonymSetCommand(testContext(), id, terms, expectedVersion));
  return { tx, synonyms, save };
}

describe('SaveSynonymSetHandler', () => {
  it('creates a set with its terms as stored, audits it and emits kb.synonyms_changed', async () => {
    const { tx, synonyms, save } = setup(undefined);
    const created = await save(null, ['WLAN', 'Wi-Fi', 'wlan']);
    expect(synonyms.insert).toHaveBeenCalledWith(expect.anything(), ['wlan', 'wi fi']);
    expect(created).toMatchObject({ id: 'syn-new', terms: ['wlan', 'wi fi'] });
    expect(tx.audits).toEqual([{ action: 'kb.synonyms_created', entityType: 'kb_synonyms', entityId: 'syn-new', after: { terms: ['wlan', 'wi fi'] } }]);
    expect(tx.emitted).toEqual([{ type: 'kb.synonyms_changed', aggregateId: 'syn-new', payload: { op: 'created', terms: ['wlan', 'wi fi'] } }]);
  });

  it('refuses a new set past the limit, and terms that are not a set, before writing', async () => {
    const full = setup(undefined, SYNONYM_SETS_MAX);
    await expect(full.save(null, ['a', 'b'])).rejects.toMatchObject({ problem: { status: 409, type: 'synonym-sets-limit' } });
    expect(full.synonyms.insert).not.toHaveBeenCalled();
    expect(() => new SaveSynonymSetCommand(testContext(), null, ['same', 'SAME'])).toThrow(/at least 2 different terms/);
  });

  it('replaces the terms of the current version only, and changes nothing when they are the same', async () => {
    const { tx, synonyms, save } = setup(aSet({ version: 3 }));
    await expect(save('syn-1', ['wlan', 'hotspot'], 2)).rejects.toMatchObject({ problem: { status: 412 } });
    expect(synonyms.update).not.toHaveBeenCalled();
    expect(await save('syn-1', ['WLAN', 'wi-fi'], 3)).toMatchObject({ version: 3 });
    expect(tx.events).toEqual([]);
    const after = await save('syn-1', ['wlan', 'hotspot'], 3);
    expect(after).toMatchObject({ terms: ['wlan', 'hotspot'], version: 4 });
    expect(tx.emitted).toEqual([{ type: 'kb.synonyms_changed', aggregateId: 'syn-1', payload: { op: 'updated', terms: ['wlan', 'hotspot'] } }]);
  });

  it('is a 404 for a set that is not the tenant\'s', async () => {
    const { save } = setup(undefined);
    await expect(save('syn-x', ['a', 'b'])).rejects.toMatchObject({ problem: { status: 404 } });
  });
});
