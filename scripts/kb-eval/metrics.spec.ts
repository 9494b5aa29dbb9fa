import { Bm25Index, plainTokens, stemmedTokens } from './bm25';
import { meanMetrics, ndcgAt, recallAt, reciprocalRank, scoreRanking } from './metrics';

describe('ranking metrics (hand-computed)', () => {
  const relevant = new Set(['a', 'c']);

  it('recall@k counts relevant items in the first k, once each', () => {
    expect(recallAt(['x', 'a', 'y', 'c'], relevant, 2)).toBe(0.5);
    expect(recallAt(['x', 'a', 'y', 'c'], relevant, 4)).toBe(1);
    expect(recallAt(['a', 'a', 'a'], relevant, 3)).toBe(0.5);
    expect(recallAt([], relevant, 10)).toBe(0);
    expect(() => recallAt(['a'], new Set(), 1)).toThrow(RangeError);
  });

  it('reciprocal rank is 1 / rank of the first hit, 0 without one', () => {
    expect(reciprocalRank(['a'], relevant)).toBe(1);
    expect(reciprocalRank(['x', 'y', 'c'], relevant)).toBeCloseTo(1 / 3, 12);
    expect(reciprocalRank(['x'], relevant)).toBe(0);
  });

  it('nDCG@k discounts by log2(rank + 1) against the ideal ordering', () => {
    // hits at ranks 2 and 3: (1/log2 3 + 1/log2 4) / (1 + 1/log2 3)
    const expected = (1 / Math.log2(3) + 0.5) / (1 + 1 / Math.log2(3));
    expect(ndcgAt(['x', 'a', 'c'], relevant, 10)).toBeCloseTo(expected, 12);
    expect(ndcgAt(['a', 'c', 'x'], relevant, 10)).toBe(1);
    expect(ndcgAt(['x', 'y', 'a'], relevant, 2)).toBe(0);
    // one relevant item at rank 1 out of a set of one: perfect
    expect(ndcgAt(['a'], new Set(['a']), 10)).toBe(1);
  });

  it('averages per-query metrics', () => {
    const m = meanMetrics([scoreRanking(['a', 'c'], relevant), scoreRanking(['x'], relevant)]);
    expect(m).toEqual({ recall5: 0.5, recall10: 0.5, mrr: 0.5, ndcg10: 0.5 });
  });
});

describe('plain BM25 (hand-computed)', () => {
  // N = 3, lengths 2, 3, 1 → avgdl = 2
  const index = new Bm25Index([
    { id: 'd1', text: 'Reset password' },
    { id: 'd2', text: 'password password invoice' },
    { id: 'd3', text: 'Thermostat' },
  ]);

  it('tokenises lower-cased words and numbers', () => {
    expect(plainTokens("Can't log in: error 404, Wi-Fi!")).toEqual(['can', 't', 'log', 'in', 'error', '404', 'wi', 'fi']);
  });

  it('uses Lucene idf', () => {
    expect(index.idf('password')).toBeCloseTo(Math.log(1 + 1.5 / 2.5), 12); // df 2
    expect(index.idf('reset')).toBeCloseTo(Math.log(1 + 2.5 / 1.5), 12); // df 1
    expect(index.idf('missing')).toBeCloseTo(Math.log(1 + 3.5 / 0.5), 12);
  });

  it('scores tf saturation and length normalisation with k1 = 1.2, b = 0.75', () => {
    const idf = Math.log(1 + 1.5 / 2.5);
    // d1: f = 1, |d| = 2 → idf · 2.2 / (1 + 1.2)
    const d1 = (idf * 1 * 2.2) / (1 + 1.2 * (0.25 + (0.75 * 2) / 2));
    // d2: f = 2, |d| = 3 → idf · 2 · 2.2 / (2 + 1.2 · (0.25 + 0.75 · 1.5))
    const d2 = (idf * 2 * 2.2) / (2 + 1.2 * (0.25 + (0.75 * 3) / 2));
    const results = index.search('PASSWORD');
    expect(results.map((r) => r.id)).toEqual(['d2', 'd1']);
    expect(results[0]!.score).toBeCloseTo(d2, 12);
    expect(results[1]!.score).toBeCloseTo(d1, 12);
  });

  it('ranks rarer terms higher and leaves out documents without a query term', () => {
    expect(index.search('reset password').map((r) => r.id)).toEqual(['d1', 'd2']);
    expect(index.search('nothing here')).toEqual([]);
  });
});

describe('stemmed BM25', () => {
  it('drops English stop words and reduces words to their Snowball stem', () => {
    expect(stemmedTokens('How do I cancel the subscriptions I was charged for?')).toEqual(['cancel', 'subscript', 'charg']);
  });

  it('matches inflected forms that plain tokens miss', () => {
    const docs = [
      { id: 'd1', text: 'Cancelling a subscription' },
      { id: 'd2', text: 'Download invoices' },
    ];
    expect(new Bm25Index(docs).search('cancel subscriptions')).toEqual([]);
    expect(new Bm25Index(docs, stemmedTokens).search('cancel subscriptions').map((r) => r.id)).toEqual(['d1']);
  });
});
