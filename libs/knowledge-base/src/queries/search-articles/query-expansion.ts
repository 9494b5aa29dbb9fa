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
const VOCABULARY_TTL_MS = 60_000;
/** A vocabulary costs ~0.4 KB per word: a few MB per tenant. */
const VOCABULARY_CACHE_MAX = 64;

interface TenantVocabulary {
  at: number;
  stems: ReadonlySet<string>;
  vocabulary: WordVocabulary;
}

const WORD = /\p{L}+/gu;

@Injectable()
export class QueryExpansion {
  private readonly logger = new Logger(QueryExpansion.name);
  private readonly stemmer = newStemmer('english');
  private readonly tenants = new Map<string, Promise<TenantVocabulary>>();
  private frequentStems: Promise<{ words: readonly string[]; stems: string[] }> | undefined;

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
    if (cached) return cached.then((v) => (now - v.at < VOCABULARY_TTL_MS ? v : this.load(tenantId, neighbours, now)));
    return this.load(tenantId, neighbours, now);
  }

  private load(tenantId: string, neighbours: WordNeighbours, now: number): Promise<TenantVocabulary> {
    const loading = (async () => {
      const lexemes = new Set(await this.tx.run({ tenantId, actorId: null, correlationId: null }, (tx) => this.chunks.vocabulary(tx)));
      const { words, stems } = await this.frequent(neighbours);
      // One word per lexeme, the most frequent one: the vocabulary the lexical list can match.
      const chosen = new Map<string, string>();
      for (let i = 0; i < words.length; i++) if (lexemes.has(stems[i]!) && !chosen.has(stems[i]!)) chosen.set(stems[i]!, words[i]!);
      return { at: now, stems: lexemes, vocabulary: await neighbours.vocabulary(chosen.values()) };
    })();
    if (this.tenants.size >= VOCABULARY_CACHE_MAX) this.tenants.clear();
    this.tenants.set(tenantId, loading);
    loading.catch(() => this.tenants.delete(tenantId));
    return loading;
  }

  /** The word table's frequent words with their English stems, computed once per process. */
  private frequent(neighbours: WordNeighbours): Promise<{ words: readonly string[]; stems: string[] }> {
    this.frequentStems ??= neighbours.frequentWords().then((words) => ({ words, stems: words.map((w) => (/^\p{L}+$/u.test(w) ? this.stemmer.stem(w) : '')) }));
    return this.frequentStems;
  }
}
