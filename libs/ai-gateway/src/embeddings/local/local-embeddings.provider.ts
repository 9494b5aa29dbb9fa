import type { EmbeddingsProvider } from '../embeddings.port';
import { addHashedNgrams, normalizeRange, splitCompound, tokenize } from './text-features';
import { loadWordVectorTable } from './word-vector-cache';
import type { WordVectorTable } from './word-vector-table';

export const SEMANTIC_DIMENSIONS = 100;
export const LEXICAL_DIMENSIONS = 284;
export const LOCAL_DIMENSIONS = SEMANTIC_DIMENSIONS + LEXICAL_DIMENSIONS;

/**
 * Share of the cosine carried by the word-vector part: for two texts, cos = w·cos_sem +
 * (1 − w)·cos_lex. Tuned with `npm run kb:eval` (see bench/RESULTS.md).
 */
export const DEFAULT_SEMANTIC_WEIGHT = 0.7;
/**
 * SIF's smoothing constant a in a/(a + p(w)) (Arora et al. 2017 use 1e-3 … 1e-4): words with an
 * estimated frequency far above a ("the", "to", "my") fade out, rare words keep weight ≈ 1.
 */
export const DEFAULT_SIF_A = 1e-4;
/**
 * Common directions removed from the averaged word vectors (after subtracting the vocabulary
 * mean): SIF's "common component removal", with directions estimated from the vocabulary.
 */
export const DEFAULT_REMOVED_COMPONENTS = 1;
/**
 * Unknown words of at least this length borrow the vector of the most frequent known word one
 * edit away (Norvig's corrector: a deletion, transposition, substitution or insertion), scaled by
 * TYPO_WEIGHT, so that "passwrod" means password. Only words among the MAX_CORRECTION_RANK most
 * frequent qualify: rare vocabulary entries are often themselves misspellings or names.
 */
export const MIN_CORRECTION_LENGTH = 4;
/** Longer tokens are not words (hashes, ids, pasted junk); ~54·n candidates each would cost. */
export const MAX_CORRECTION_LENGTH = 20;
export const MAX_CORRECTION_RANK = 100_000;
export const TYPO_WEIGHT = 0.8;
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz';

export interface LocalEmbeddingsOptions {
  cacheDir: string;
  sourcePath?: string;
  /** 0 disables the word vectors (the `local-lexical` variant): character n-grams only. */
  semanticWeight?: number;
  sifA?: number;
  removedComponents?: number;
  onConvert?: (message: string) => void;
}

/**
 * The offline embedder: 100 dimensions of SIF-weighted mean GloVe word vectors (wink's
 * 341k-word English vocabulary, stored compactly by ./word-vector-table) followed by 284
 * dimensions of signed-hashed character 3–5-grams; each part unit-normalised, then weighted.
 *
 * Good at: English paraphrase at the word level (reset ≈ change, bill ≈ invoice), inflections
 * and typos (through the n-grams), identifiers and error codes. Not good at: other languages
 * (the vocabulary is English; other Latin-script text falls back to n-grams only, non-Latin
 * scripts to whole-word n-grams), word order and negation (a bag of words), long documents
 * (a mean of hundreds of words blurs; embed chunks, not articles).
 *
 * Word frequencies for SIF come from the vocabulary's order (GloVe lists words by corpus
 * frequency): p(rank r) ≈ 1 / ((r + 1) · H_N), Zipf's law with the harmonic number H_N of the
 * vocabulary size N as normaliser.
 */
export class LocalEmbeddingsProvider implements EmbeddingsProvider {
  readonly id: string;
  readonly model: string;
  readonly dimensions = LOCAL_DIMENSIONS;
  /** The word-vector part (ADR 0068); the lexical-only variant has none. */
  readonly searchDimensions: number | undefined;
  private readonly semanticWeight: number;
  private readonly sifA: number;
  private readonly removedComponents: number;
  private table: Promise<WordVectorTable> | undefined;
  private weights: Float64Array | undefined;
  private readonly correctionCache = new Map<string, number>();

  constructor(private readonly options: LocalEmbeddingsOptions) {
    this.semanticWeight = options.semanticWeight ?? DEFAULT_SEMANTIC_WEIGHT;
    if (!(this.semanticWeight >= 0 && this.semanticWeight <= 1)) throw new RangeError('semanticWeight must be within [0, 1]');
    this.sifA = options.sifA ?? DEFAULT_SIF_A;
    this.removedComponents = options.removedComponents ?? DEFAULT_REMOVED_COMPONENTS;
    this.id = this.semanticWeight === 0 ? 'local-lexical' : 'local';
    this.searchDimensions = this.semanticWeight === 0 ? undefined : SEMANTIC_DIMENSIONS;
    // Every setting that changes vectors is in the model name, so stored vectors of other settings are re-embedded.
    this.model = this.semanticWeight === 0 ? `char-ngram-284,a=${this.sifA}` : `sif-glove100+char-ngram-284@${this.semanticWeight},a=${this.sifA},pc=${this.removedComponents}`;
  }

  /** Loads (and on first use prepares) the word table; embed() calls it too. */
  async ready(): Promise<void> {
    await this.loadTable();
  }

  async embed(texts: readonly string[], options: { signal?: AbortSignal } = {}): Promise<Float32Array[]> {
    // The lexical-only variant still uses the table's frequency ranks to weight words.
    const table = await this.loadTable();
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i++) {
      // Long batches yield now and then so one request cannot hold the event loop.
      if (i > 0 && i % 64 === 0) {
        options.signal?.throwIfAborted();
        await new Promise((resolve) => setImmediate(resolve));
      }
      out.push(this.embedOne(texts[i]!, table));
    }
    return out;
  }

  /** The word table this embedder reads (loaded once per process), for others that need word vectors too. */
  wordTable(): Promise<WordVectorTable> {
    return this.loadTable();
  }

  private loadTable(): Promise<WordVectorTable> {
    this.table ??= loadWordVectorTable({ cacheDir: this.options.cacheDir, sourcePath: this.options.sourcePath, onConvert: this.options.onConvert }).then(
      (table) => {
        this.weights = sifWeights(table.rows, this.sifA);
        return table;
      },
      (error: unknown) => {
        this.table = undefined; // let a later call retry (e.g. after `npm install`)
        throw error;
      },
    );
    return this.table;
  }

  private embedOne(text: string, table: WordVectorTable): Float32Array {
    const useVectors = this.semanticWeight > 0;
    const values = new Float64Array(LOCAL_DIMENSIONS);
    const semantic = new Float64Array(SEMANTIC_DIMENSIONS);
    let totalWeight = 0;
    for (const token of tokenize(text)) {
      const parts = this.lookup(token, table);
      for (const { word, row } of parts) {
        const weight = row >= 0 ? this.weights![row]! : 1;
        const vectorRow = row >= 0 || !useVectors ? row : this.corrections(word, table);
        if (vectorRow >= 0 && useVectors) {
          const vectorWeight = row >= 0 ? weight : this.weights![vectorRow]! * TYPO_WEIGHT;
          table.addScaled(vectorRow, vectorWeight, semantic);
          totalWeight += vectorWeight;
        }
        addHashedNgrams(word, weight, values, SEMANTIC_DIMENSIONS, LEXICAL_DIMENSIONS);
      }
    }
    if (totalWeight > 0) this.removeCommonDirections(semantic, totalWeight, table);
    const semanticNorm = normalizeRange(semantic, 0, SEMANTIC_DIMENSIONS);
    let lexicalNorm = normalizeRange(values, SEMANTIC_DIMENSIONS, LOCAL_DIMENSIONS);
    if (semanticNorm === 0 && lexicalNorm === 0) {
      // No words at all: one fixed feature keeps the vector unit-length (cosine stays defined).
      addHashedNgrams('\u0000empty', 1, values, SEMANTIC_DIMENSIONS, LEXICAL_DIMENSIONS);
      lexicalNorm = normalizeRange(values, SEMANTIC_DIMENSIONS, LOCAL_DIMENSIONS);
    }
    const ws = semanticNorm > 0 ? Math.sqrt(this.semanticWeight) : 0;
    const wl = lexicalNorm > 0 ? Math.sqrt(1 - this.semanticWeight) : 0;
    const total = Math.hypot(ws, wl) || 1;
    const vector = new Float32Array(LOCAL_DIMENSIONS);
    for (let i = 0; i < SEMANTIC_DIMENSIONS; i++) vector[i] = (semantic[i]! * ws) / total;
    for (let i = SEMANTIC_DIMENSIONS; i < LOCAL_DIMENSIONS; i++) vector[i] = (values[i]! * wl) / total;
    return vector;
  }

  /** Σw·(v − mean) with its projections on the top common directions removed (linear, so done once on the sum). */
  private removeCommonDirections(sum: Float64Array, totalWeight: number, table: WordVectorTable): void {
    for (let i = 0; i < SEMANTIC_DIMENSIONS; i++) sum[i]! -= totalWeight * table.mean[i]!;
    for (const direction of table.components.slice(0, this.removedComponents)) {
      let dot = 0;
      for (let i = 0; i < SEMANTIC_DIMENSIONS; i++) dot += direction[i]! * sum[i]!;
      for (let i = 0; i < SEMANTIC_DIMENSIONS; i++) sum[i]! -= dot * direction[i]!;
    }
  }

  /** A token as known words: the whole token if the vocabulary has it, else its compound parts. */
  private lookup(token: string, table: WordVectorTable): Array<{ word: string; row: number }> {
    const whole = table.lookup(token);
    if (whole >= 0) return [{ word: token, row: whole }];
    const parts = splitCompound(token);
    if (parts.length === 1) return [{ word: token, row: -1 }];
    return parts.map((word) => ({ word, row: table.lookup(word) }));
  }

  private corrections(word: string, table: WordVectorTable): number {
    let row = this.correctionCache.get(word);
    if (row === undefined) {
      row = this.correct(word, table);
      if (this.correctionCache.size >= 50_000) this.correctionCache.clear();
      this.correctionCache.set(word, row);
    }
    return row;
  }

  /** Row of the most frequent known word one edit from `word` (see MIN_CORRECTION_LENGTH), or -1. */
  private correct(word: string, table: WordVectorTable): number {
    if (word.length < MIN_CORRECTION_LENGTH || word.length > MAX_CORRECTION_LENGTH || !/^[a-z]+$/.test(word)) return -1;
    let best = -1;
    const consider = (candidate: string) => {
      const row = table.lookup(candidate);
      if (row >= 0 && row < MAX_CORRECTION_RANK && (best < 0 || row < best)) best = row;
    };
    for (let i = 0; i <= word.length; i++) {
      const head = word.slice(0, i);
      const tail = word.slice(i);
      if (tail.length > 0) consider(head + tail.slice(1));
      if (tail.length > 1) consider(head + tail[1] + tail[0] + tail.slice(2));
      for (const c of ALPHABET) {
        if (tail.length > 0 && c !== tail[0]) consider(head + c + tail.slice(1));
        consider(head + c + tail);
      }
    }
    return best;
  }
}

/** SIF weight a / (a + p) per rank, with the Zipf estimate p(r) = 1 / ((r + 1) · H_N). */
export function sifWeights(rows: number, a: number): Float64Array {
  const harmonic = Math.log(rows) + 0.5772156649 + 1 / (2 * rows);
  const weights = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const p = 1 / ((r + 1) * harmonic);
    weights[r] = a / (a + p);
  }
  return weights;
}
