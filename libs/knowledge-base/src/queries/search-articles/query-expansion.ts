import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { WORD_NEIGHBOURS, type WordNeighbours, type WordVocabulary } from '@switchboard/ai-gateway';
import { TenantTransaction } from '@switchboard/platform';
import { newStemmer } from 'snowball-stemmers';
import { ChunksRepository } from '../../repositories/chunks.repository';

/**
 * Query expansion through the tenant's own vocabulary (ADR 0066): a query word the tenant never
 * wrote ("handset", "radiators", "licenses") adds the tenant's words nearest to it by word-vector
 * similarity ("phone", "heating", "seats"), which the lexical list then scores like a synonym set's
 * terms (a share of their idf, never as words typed). Chosen on kb:eval's tuning half.
 */
export const EXPANSION_NEIGHBOURS = 8;
export const EXPANSION_MIN_SIMILARITY = 0.4;
/** The most frequent words ("the", "how", "my") carry no subject and are never expanded. */
export const EXPANSION_MIN_RANK = 300;
/** At most this many query words are expanded (the rarest first). */
export const EXPANSION_MAX_WORDS = 8;
/**
 * A vocabulary is re-read after 100 ms per lexeme, from 10 s to 10 minutes: a small knowledge base
 * (a new tenant's, still being written) is cheap to re-read and changes fastest, a large one
 * changes slowly. New words reach expansion within that time.
 */
const vocabularyTtlMs = (lexemes: number) => Math.min(Math.max(lexemes * 100, 10_000), 10 * 60_000);
/** A vocabulary costs ~0.4 KB per word: a few MB per tenant. */
const VOCABULARY_CACHE_MAX = 64;

interface TenantVocabulary {
  at: number;
  ttl: number;
  stems: ReadonlySet<string>;
  vocabulary: WordVocabulary;
}

const WORD = /\p{L}+/gu;

@Injectable()
export class QueryExpansion {
  private readonly logger = new Logger(QueryExpansion.name);
  private readonly stemmer = newStemmer('english');
  private readonly tenants = new Map<string, Promise<TenantVocabulary>>();
  private stemmed = 0;
  private index: Promise<{ words: readonly string[]; sorted: Int32Array; stems: (string | undefined)[] }> | undefined;

  constructor(
    private readonly tx: TenantTransaction,
    private readonly chunks: ChunksRepository,
    @Optional() @Inject(WORD_NEIGHBOURS) private readonly neighbours: WordNeighbours | null = null,
  ) {}

  /**
   * The tenant's words nearest to the query's words it never wrote, space-separated; '' when there
   * is nothing to add, no word vectors in this process, or they fail (search goes on without).
   */
  async expand(tenantId: string, q: string): Promise<string> {
    if (!this.neighbours) return '';
    try {
      return (await this.expansionWords(tenantId, q, this.neighbours)).join(' ');
    } catch (error) {
      this.logger.warn({ err: error }, 'query expansion by word vectors failed; searching without it');
      return '';
    }
  }

  private async expansionWords(tenantId: string, q: string, neighbours: WordNeighbours): Promise<string[]> {
    const words = [...new Set((q.toLowerCase().match(WORD) ?? []).filter((w) => w.length >= 3))];
    if (words.length === 0) return [];
    const tenant = await this.vocabularyOf(tenantId, neighbours);
    const unknown: { word: string; rank: number }[] = [];
    for (const word of words) {
      if (tenant.stems.has(this.stemmer.stem(word))) continue;
      const rank = await neighbours.rank(word);
      // Not in the table: a typo or a name, which the trigram correction handles.
      if (rank >= EXPANSION_MIN_RANK) unknown.push({ word, rank });
    }
    const added = new Set<string>();
    for (const { word } of unknown.sort((a, b) => b.rank - a.rank).slice(0, EXPANSION_MAX_WORDS)) {
      for (const n of await neighbours.nearest(word, tenant.vocabulary, EXPANSION_NEIGHBOURS, EXPANSION_MIN_SIMILARITY)) added.add(n.word);
    }
    return [...added];
  }

  private vocabularyOf(tenantId: string, neighbours: WordNeighbours): Promise<TenantVocabulary> {
    const now = Date.now();
    const cached = this.tenants.get(tenantId);
    if (cached) return cached.then((v) => (now - v.at < v.ttl ? v : this.load(tenantId, neighbours, now)));
    return this.load(tenantId, neighbours, now);
  }

  private load(tenantId: string, neighbours: WordNeighbours, now: number): Promise<TenantVocabulary> {
    const loading = (async () => {
      const lexemes = await this.tx.run({ tenantId, actorId: null, correlationId: null }, (tx) => this.chunks.vocabulary(tx));
      // One word per lexeme, the most frequent one the stem comes from: the vocabulary the lexical list can match.
      const words: string[] = [];
      for (const lexeme of lexemes) {
        const word = await this.surfaceWord(lexeme, neighbours);
        if (word) words.push(word);
      }
      return { at: now, ttl: vocabularyTtlMs(lexemes.length), stems: new Set(lexemes), vocabulary: await neighbours.vocabulary(words) };
    })();
    if (this.tenants.size >= VOCABULARY_CACHE_MAX) this.tenants.clear();
    this.tenants.set(tenantId, loading);
    loading.catch(() => this.tenants.delete(tenantId));
    return loading;
  }

  /**
   * The most frequent table word whose English stem is the lexeme ("batteri" → battery). A stem
   * keeps its word's beginning but for its last two letters (Snowball English only rewrites
   * suffixes: "possibility" → "possibl", "hoping" → "hope"), so only the words starting with that
   * much of it, and not much longer, are stemmed, each once per process.
   */
  private async surfaceWord(lexeme: string, neighbours: WordNeighbours): Promise<string | null> {
    if (!/^\p{L}{3,}$/u.test(lexeme)) return null;
    const index = await this.wordIndex(neighbours);
    const prefix = lexeme.slice(0, Math.max(2, lexeme.length - 2));
    let lo = 0;
    let hi = index.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (index.words[index.sorted[mid]!]! < prefix) lo = mid + 1;
      else hi = mid;
    }
    let best = -1;
    for (let i = lo; i < index.sorted.length; i++) {
      const row = index.sorted[i]!;
      const word = index.words[row]!;
      if (!word.startsWith(prefix)) break;
      // Suffixes removed at once are at most 7 letters ("ational", "fulness" in two steps of ≤ 4).
      if ((best >= 0 && row > best) || word.length > lexeme.length + 7) continue;
      if (index.stems[row] === undefined) {
        index.stems[row] = this.stemmer.stem(word);
        // A first vocabulary stems tens of thousands of words: let other requests run meanwhile.
        if (++this.stemmed % 2_000 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
      if (index.stems[row] === lexeme) best = row;
    }
    return best >= 0 ? index.words[best]! : null;
  }

  /** The table's frequent words sorted alphabetically (rows), with their stems as computed. */
  private wordIndex(neighbours: WordNeighbours): Promise<{ words: readonly string[]; sorted: Int32Array; stems: (string | undefined)[] }> {
    this.index ??= neighbours.frequentWords().then((words) => {
      const sorted = Int32Array.from(words.keys()).sort((x, y) => (words[x]! < words[y]! ? -1 : words[x]! > words[y]! ? 1 : x - y));
      return { words, sorted, stems: new Array<string | undefined>(words.length) };
    });
    return this.index;
  }
}
