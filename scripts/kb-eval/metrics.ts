/**
 * Ranking metrics with binary relevance, per query; the eval averages them over queries.
 * `ranked` is the system's answer (ids, best first), `relevant` the labelled set.
 */

/** Share of the relevant items found in the first k. */
export function recallAt(ranked: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  if (relevant.size === 0) throw new RangeError('a query needs at least one relevant item');
  let found = 0;
  for (const id of new Set(ranked.slice(0, k))) if (relevant.has(id)) found++;
  return found / relevant.size;
}

/** 1 / rank of the first relevant item (0 when none is ranked); MRR is its mean. */
export function reciprocalRank(ranked: readonly string[], relevant: ReadonlySet<string>): number {
  const index = ranked.findIndex((id) => relevant.has(id));
  return index < 0 ? 0 : 1 / (index + 1);
}

/** Normalised discounted cumulative gain at k: gain 1 per relevant item, discount log2(rank + 1). */
export function ndcgAt(ranked: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  if (relevant.size === 0) throw new RangeError('a query needs at least one relevant item');
  let dcg = 0;
  const seen = new Set<string>();
  ranked.slice(0, k).forEach((id, i) => {
    if (relevant.has(id) && !seen.has(id)) dcg += 1 / Math.log2(i + 2);
    seen.add(id);
  });
  let ideal = 0;
  for (let i = 0; i < Math.min(k, relevant.size); i++) ideal += 1 / Math.log2(i + 2);
  return dcg / ideal;
}

export interface MetricSet {
  recall5: number;
  recall10: number;
  mrr: number;
  ndcg10: number;
}

export function scoreRanking(ranked: readonly string[], relevant: ReadonlySet<string>): MetricSet {
  return { recall5: recallAt(ranked, relevant, 5), recall10: recallAt(ranked, relevant, 10), mrr: reciprocalRank(ranked, relevant), ndcg10: ndcgAt(ranked, relevant, 10) };
}

export function meanMetrics(sets: readonly MetricSet[]): MetricSet {
  const n = sets.length || 1;
  const sum = (key: keyof MetricSet) => sets.reduce((s, m) => s + m[key], 0) / n;
  return { recall5: sum('recall5'), recall10: sum('recall10'), mrr: sum('mrr'), ndcg10: sum('ndcg10') };
}
