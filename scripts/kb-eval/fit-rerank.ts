import { readFileSync } from 'node:fs';
import { scoreRanking } from './metrics';

/**
 * Fits the search rerank's weights (RERANK_WEIGHTS, ADR 0063) on a `kb:eval --half tuning
 * --features <file>` dump: coordinate ascent over a grid per weight, maximising mean nDCG@10,
 * the fused score's weight fixed at 1 (only ratios matter). Feedback and learned evidence are not
 * in the labelled set and keep their set weights. Usage:
 *   node dist/scripts/kb-eval/fit-rerank.js <features.json>
 */

type Feature = 'fused' | 'lexical' | 'coverage' | 'title' | 'similarity';
interface Dumped {
  id: string;
  kind: string;
  relevant: string[];
  candidates: { id: string; features: Record<Feature, number> }[];
}

const FITTED: Feature[] = ['lexical', 'coverage', 'title', 'similarity'];
const GRID = [0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 1.5, 2, 3, 4, 6];

export function meanNdcg(queries: readonly Dumped[], w: Record<Feature, number>): number {
  let sum = 0;
  for (const q of queries) {
    const ranked = [...q.candidates]
      .map((c) => ({ id: c.id, s: (Object.keys(w) as Feature[]).reduce((acc, k) => acc + w[k] * (c.features[k] ?? 0), 0) }))
      .sort((a, b) => b.s - a.s || (a.id < b.id ? -1 : 1))
      .map((c) => c.id);
    sum += scoreRanking(ranked.slice(0, 10), new Set(q.relevant)).ndcg10;
  }
  return queries.length ? sum / queries.length : 0;
}

function main(): void {
  const file = process.argv[2];
  if (!file) throw new Error('usage: fit-rerank <features.json>');
  const queries = JSON.parse(readFileSync(file, 'utf8')) as Dumped[];
  const w: Record<Feature, number> = { fused: 1, lexical: 0, coverage: 0, title: 0, similarity: 0 };
  let best = meanNdcg(queries, w);
  process.stdout.write(`fusion only: nDCG@10 ${best.toFixed(4)} over ${queries.length} queries\n`);
  for (let round = 0; round < 4; round++) {
    let improved = false;
    for (const k of FITTED) {
      for (const g of GRID) {
        const trial = { ...w, [k]: g };
        const score = meanNdcg(queries, trial);
        // Strictly better by a margin: ties keep the simpler (earlier, smaller) weight.
        if (score > best + 1e-4) {
          best = score;
          w[k] = g;
          improved = true;
        }
      }
    }
    process.stdout.write(`round ${round + 1}: nDCG@10 ${best.toFixed(4)} ${JSON.stringify(w)}\n`);
    if (!improved) break;
  }
  const kinds = [...new Set(queries.map((q) => q.kind))];
  for (const kind of kinds) {
    const of = queries.filter((q) => q.kind === kind);
    process.stdout.write(`  ${kind} (${of.length}): fusion ${meanNdcg(of, { fused: 1, lexical: 0, coverage: 0, title: 0, similarity: 0 }).toFixed(3)} → fitted ${meanNdcg(of, w).toFixed(3)}\n`);
  }
}

if (require.main === module) main();
