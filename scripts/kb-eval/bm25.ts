import { newStemmer } from 'snowball-stemmers';

/**
 * Okapi BM25 (k1 = 1.2, b = 0.75) over title + body, the references the product's search has to
 * beat, computed here and not in PostgreSQL. idf = ln(1 + (N − df + 0.5) / (df + 0.5)) (Lucene's,
 * never negative). Two analysers:
 * - `plainTokens`: lower-cased Unicode word tokens, nothing else (a search library's default);
 * - `stemmedTokens`: the same, English stop words dropped and Snowball (Porter 2) stems — the
 *   strongest simple baseline, and the one the product's ranking is compared against.
 */
export const BM25_K1 = 1.2;
export const BM25_B = 0.75;

export type Analyser = (text: string) => string[];

export const plainTokens: Analyser = (text) => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];

/** Snowball's English stop word list (the one PostgreSQL's `english` configuration also uses). */
const ENGLISH_STOP_WORDS = new Set(
  `i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers herself it its itself they them their theirs themselves
   what which who whom this that these those am is are was were be been being have has had having do does did doing a an the and but if or because as until while
   of at by for with about against between into through during before after above below to from up down in out on off over under again further then once here there
   when where why how all any both each few more most other some such no nor not only own same so than too very s t can will just don should now`.split(/\s+/),
);

const english = newStemmer('english');
export const stemmedTokens: Analyser = (text) => plainTokens(text).filter((t) => !ENGLISH_STOP_WORDS.has(t)).map((t) => english.stem(t));

export interface Bm25Document {
  id: string;
  text: string;
}

export class Bm25Index {
  private readonly docs: { id: string; length: number; tf: Map<string, number> }[] = [];
  private readonly df = new Map<string, number>();
  private readonly averageLength: number;

  constructor(documents: readonly Bm25Document[], private readonly analyse: Analyser = plainTokens, private readonly k1 = BM25_K1, private readonly b = BM25_B) {
    for (const doc of documents) {
      const tokens = analyse(doc.text);
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
    const terms = this.analyse(query);
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
