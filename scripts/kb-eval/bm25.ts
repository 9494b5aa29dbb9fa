/**
 * Plain Okapi BM25 (k1 = 1.2, b = 0.75) over title + body, the reference the product's search has
 * to beat. "Plain" as a search library ships it by default: lower-cased Unicode word tokens, no
 * stemming, no stop words, no synonyms, one field; idf = ln(1 + (N − df + 0.5) / (df + 0.5))
 * (Lucene's, never negative).
 */
export const BM25_K1 = 1.2;
export const BM25_B = 0.75;

export function bm25Tokens(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

export interface Bm25Document {
  id: string;
  text: string;
}

export class Bm25Index {
  private readonly docs: { id: string; length: number; tf: Map<string, number> }[] = [];
  private readonly df = new Map<string, number>();
  private readonly averageLength: number;

  constructor(documents: readonly Bm25Document[], private readonly k1 = BM25_K1, private readonly b = BM25_B) {
    for (const doc of documents) {
      const tokens = bm25Tokens(doc.text);
      const tf = new Map<string, number>();
      for (const t of tokens) tf.set(t, (tf.get(t) ?? 0) + 1);
      for (const t of tf.keys()) this.df.set(t, (this.df.get(t) ?? 0) + 1);
      this.docs.push({ id: doc.id, length: tokens.length, tf });
    }
    this.averageLength = this.docs.reduce((s, d) => s + d.length, 0) / (this.docs.length || 1);
  }

  idf(term: string): number {
    const df = this.df.get(term) ?? 0;
    return Math.log(1 + (this.docs.length - df + 0.5) / (df + 0.5));
  }

  /** Documents with a positive score, best first (ties by id), each query term counted once per occurrence in the query. */
  search(query: string, limit = 10): { id: string; score: number }[] {
    const terms = bm25Tokens(query);
    const scored: { id: string; score: number }[] = [];
    for (const doc of this.docs) {
      let score = 0;
      for (const term of terms) {
        const f = doc.tf.get(term);
        if (!f) continue;
        score += (this.idf(term) * f * (this.k1 + 1)) / (f + this.k1 * (1 - this.b + (this.b * doc.length) / this.averageLength));
      }
      if (score > 0) scored.push({ id: doc.id, score });
    }
    return scored.sort((x, y) => y.score - x.score || (x.id < y.id ? -1 : 1)).slice(0, limit);
  }
}
