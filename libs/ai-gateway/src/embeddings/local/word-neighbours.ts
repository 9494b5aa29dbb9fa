import type { WordVectorTable } from './word-vector-table';

/**
 * Words that are candidates for a vocabulary: the table's most frequent ones. Rarer entries are
 * mostly names, misspellings and fragments whose vectors are noise.
 */
export const NEIGHBOUR_MAX_RANK = 100_000;

/** Injection token of the process's WordNeighbours (null when the embedder is not the local one). */
export const WORD_NEIGHBOURS = Symbol('WORD_NEIGHBOURS');

/** A set of words (e.g. one tenant's) with unit, mean-centred vectors, to find neighbours in. */
export interface WordVocabulary {
  readonly words: readonly string[];
  /** words.length × dimensions, row-major. */
  readonly vectors: Float32Array;
}

export interface WordNeighbour {
  word: string;
  similarity: number;
}

/**
 * Nearest words by cosine similarity of their word vectors (the local embedder's GloVe table),
 * searched in a vocabulary the caller chooses: "handset" in a help center that writes "phone".
 * Pure CPU; the table loads on first use (shared with the local embedder's file).
 */
export class WordNeighbours {
  private table: Promise<WordVectorTable> | undefined;
  private frequent: string[] | undefined;

  constructor(private readonly loadTable: () => Promise<WordVectorTable>) {}

  private async loaded(): Promise<WordVectorTable> {
    this.table ??= this.loadTable().catch((error: unknown) => {
      this.table = undefined;
      throw error;
    });
    return this.table;
  }

  /** The table's frequent words (NEIGHBOUR_MAX_RANK), most frequent first. */
  async frequentWords(): Promise<readonly string[]> {
    const table = await this.loaded();
    this.frequent ??= Array.from({ length: Math.min(table.rows, NEIGHBOUR_MAX_RANK) }, (_, row) => table.word(row));
    return this.frequent;
  }

  /** The frequency rank of a word (0 = most frequent), or -1 when the table lacks it. */
  async rank(word: string): Promise<number> {
    return (await this.loaded()).lookup(word);
  }

  /** A vocabulary of the given words that the table has among its frequent ones (others are left out). */
  async vocabulary(words: Iterable<string>): Promise<WordVocabulary> {
    const table = await this.loaded();
    const kept: string[] = [];
    const rows: number[] = [];
    for (const word of words) {
      const row = table.lookup(word);
      if (row >= 0 && row < NEIGHBOUR_MAX_RANK) {
        kept.push(word);
        rows.push(row);
      }
    }
    const d = table.dimensions;
    const vectors = new Float32Array(kept.length * d);
    rows.forEach((row, i) => vectors.set(this.unit(table, row), i * d));
    return { words: kept, vectors };
  }

  /** Up to `k` words of the vocabulary nearest to `word`, at least `minSimilarity`, nearest first. */
  async nearest(word: string, vocabulary: WordVocabulary, k: number, minSimilarity: number): Promise<WordNeighbour[]> {
    const table = await this.loaded();
    const row = table.lookup(word);
    if (row < 0 || k <= 0) return [];
    const q = this.unit(table, row);
    const d = table.dimensions;
    const found: WordNeighbour[] = [];
    for (let i = 0; i < vocabulary.words.length; i++) {
      let dot = 0;
      for (let j = 0, at = i * d; j < d; j++, at++) dot += q[j]! * vocabulary.vectors[at]!;
      if (dot >= minSimilarity && vocabulary.words[i] !== word) found.push({ word: vocabulary.words[i]!, similarity: dot });
    }
    return found.sort((a, b) => b.similarity - a.similarity || (a.word < b.word ? -1 : 1)).slice(0, k);
  }

  /** The row's vector minus the frequent words' mean (the direction all words share), unit length. */
  private unit(table: WordVectorTable, row: number): Float32Array {
    const v = table.vector(row);
    let norm = 0;
    for (let i = 0; i < v.length; i++) {
      v[i] = v[i]! - table.mean[i]!;
      norm += v[i]! * v[i]!;
    }
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < v.length; i++) v[i] = v[i]! / norm;
    return v;
  }
}
