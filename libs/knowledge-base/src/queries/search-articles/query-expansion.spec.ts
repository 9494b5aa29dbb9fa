import type { WordNeighbour, WordNeighbours, WordVocabulary } from '@switchboard/ai-gateway';
import type { TenantTransaction } from '@switchboard/platform';
import type { ChunksRepository } from '../../repositories/chunks.repository';
import { EXPANSION_MIN_RANK, QueryExpansion } from './query-expansion';

/** Word vectors in 2-d: handset ≈ phone, radiators ≈ heating; "the" is frequent, "hndset" unknown. */
const VECTORS: Record<string, [number, number]> = { the: [1, 1], phone: [1, 0.1], battery: [0.5, -1], heating: [0, 1], handset: [0.95, 0.2], radiators: [0.1, 0.95], cold: [-1, 0.2] };
const RANKS = Object.fromEntries(Object.keys(VECTORS).map((w, i) => [w, w === 'the' ? 0 : EXPANSION_MIN_RANK + i]));
const cosine = (a: [number, number], b: [number, number]) => (a[0] * b[0] + a[1] * b[1]) / (Math.hypot(...a) * Math.hypot(...b));

function fakeNeighbours(): WordNeighbours {
  return {
    rank: async (word: string) => RANKS[word] ?? -1,
    frequentWords: async () => Object.keys(VECTORS),
    vocabulary: async (words: Iterable<string>) => ({ words: [...words].filter((w) => VECTORS[w]), vectors: new Float32Array() }),
    nearest: async (word: string, vocabulary: WordVocabulary, k: number, min: number): Promise<WordNeighbour[]> =>
      vocabulary.words
        .map((w) => ({ word: w, similarity: cosine(VECTORS[word]!, VECTORS[w]!) }))
        .filter((n) => n.similarity >= min && n.word !== word)
        .sort((x, y) => y.similarity - x.similarity)
        .slice(0, k),
  } as unknown as WordNeighbours;
}

function expansion(lexemes: string[], neighbours: WordNeighbours | null = fakeNeighbours()) {
  const reads: string[] = [];
  const tx = { run: async (ctx: { tenantId: string }, work: (tx: unknown) => Promise<unknown>) => (reads.push(ctx.tenantId), work({ tenantId: ctx.tenantId })) } as unknown as TenantTransaction;
  const chunks = { vocabulary: async () => lexemes } as unknown as ChunksRepository;
  return { service: new QueryExpansion(tx, chunks, neighbours), reads };
}

describe('QueryExpansion', () => {
  it("adds the tenant's nearest words for the query words it never wrote, and nothing for words it has", async () => {
    const { service } = expansion(['phone', 'batteri', 'heat']);
    expect((await service.expand('t1', 'my handset dies')).split(' ')).toContain('phone');
    expect(await service.expand('t1', 'my handset dies')).not.toContain('heating');
    expect(await service.expand('t1', 'radiators cold')).toContain('heating');
    // "battery" stems to the tenant's lexeme "batteri": the tenant has it, so nothing is added.
    expect(await service.expand('t1', 'battery')).toBe('');
  });

  it('reads a tenant vocabulary once within its time to live, and per tenant', async () => {
    const { service, reads } = expansion(['phone']);
    await service.expand('t1', 'handset');
    await service.expand('t1', 'handset again');
    await service.expand('t2', 'handset');
    expect(reads).toEqual(['t1', 't2']);
  });

  it('adds nothing without word vectors, for unknown or frequent words, or when the vectors fail', async () => {
    expect(await expansion(['phone'], null).service.expand('t1', 'handset')).toBe('');
    expect(await expansion(['phone']).service.expand('t1', 'hndset the')).toBe('');
    const failing = { ...fakeNeighbours(), rank: async () => Promise.reject(new Error('no word table')) } as unknown as WordNeighbours;
    expect(await expansion(['phone'], failing).service.expand('t1', 'handset')).toBe('');
  });
});
