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
/** A knowledge base's vocabulary changes slowly: new words reach expansion within this time. */
const VOCABULARY_TTL_MS = 10 * 60_000;
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
      const lexemes = await this.tx.run({ tenantId, actorId: null, correlationId: null }, (tx) => this.chunks.vocabulary(tx));
      // One word per lexeme, the most frequent one the stem comes from: the vocabulary the lexical list can match.
      const words: string[] = [];
      for (const lexeme of lexemes) {
        const word = await this.surfaceWord(lexeme, neighbours);
        if (word) words.push(word);
      }
      return { at: now, stems: new Set(lexemes), vocabulary: await neighbours.vocabulary(words) };
    })();
    if (this.tenants.size >= VOCABULARY_CACHE_MAX) this.tenants.clear();
    this.tenants.set(tenantId, loading);
    loading.catch(() => this.tenants.delete(tenantId));
    return loading;
  }

  /**
   * A word of the table whose English stem is the lexeme ("batteri" → battery, "schedul" →
   * schedule), the most frequent of a few usual endings; stemming the table's 100,000 words instead
   * costs seconds of CPU.
   */
  private async surfaceWord(lexeme: string, neighbours: WordNeighbours): Promise<string | null> {
    if (!/^\p{L}{3,}$/u.test(lexeme)) return null;
    let best: { word: string; rank: number } | null = null;
    for (const word of surfaceCandidates(lexeme)) {
      const rank = await neighbours.rank(word);
      if (rank >= 0 && (!best || rank < best.rank) && this.stemmer.stem(word) === lexeme) best = { word, rank };
    }
    return best?.word ?? null;
  }
}

const ENDINGS = ['', 'e', 's', 'ing', 'ed', 'er', 'ion', 'al', 'ate', 'ment'];

/** Words a Snowball English stem may come from: the stem with usual endings, its final i as y. */
export function surfaceCandidates(lexeme: string): string[] {
  const bases = lexeme.endsWith('i') ? [lexeme, `${lexeme.slice(0, -1)}y`] : [lexeme];
  return [...new Set(bases.flatMap((base) => ENDINGS.map((ending) => base + ending)))];
}
