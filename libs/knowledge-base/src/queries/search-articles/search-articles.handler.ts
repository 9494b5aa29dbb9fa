import { Inject, Logger } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EMBEDDINGS_PROVIDER, type EmbeddingsProvider } from '@switchboard/ai-gateway';
import { ProblemException, TenantTransaction } from '@switchboard/platform';
import { requireLocale, textSearchConfig, textSearchLanguages } from '../../domain/locale';
import { normaliseTags } from '../../domain/problems';
import { usableVector } from '../../indexing/article-indexer';
import { ChunksRepository } from '../../repositories/chunks.repository';
import { CategoriesRepository } from '../../repositories/categories.repository';
import { queryLocale } from '../../domain/query-language';
import { toVectorLiteral } from '../../repositories/chunks.sql';
import { SearchArticlesQuery, type SearchResult, type SearchResults } from './search-articles.query';
import { buildSearchStatement, LEXICAL_POOL_PER_CANDIDATE, searchSettings, SNIPPET_CLOSE, SNIPPET_OPEN, type SearchRow } from './search-sql';
import { kbConfig, type KbConfig } from '../../knowledge-base.context';
import { QueryExpansion } from './query-expansion';

export const SEARCH_QUERY_MAX = 1000;
const LOCALES_TTL_MS = 60_000;
const LOCALES_CACHE_MAX = 10_000;

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** ts_headline's sentinels become <mark> only after the text itself is escaped. */
export const renderSnippet = (raw: string) => escapeHtml(raw.replace(/\s+/g, ' ').trim()).replaceAll(SNIPPET_OPEN, '<mark>').replaceAll(SNIPPET_CLOSE, '</mark>');

const LANGUAGE_CONFIGS = textSearchLanguages();

const badQuery = (detail: string) => new ProblemException({ status: 400, type: 'validation-failed', title: 'Bad Request', detail, errors: [{ field: 'q', message: detail }] });

/**
 * One tenant-scoped SQL statement: a lexical list (BM25 over any word, typos read as the tenant's
 * words, its synonym sets expanding the query) and an HNSW vector list (iterative scan, so tenant,
 * visibility and filters never starve it; through the embedder's search prefix when it has one, ADR 0068), each collapsed to articles, fused by weighted reciprocal
 * rank and, in hybrid mode, the best 30 reranked on their features (ADR 0063); the best chunk of
 * each article gives the snippet. Visibility and status are checked against the article row itself, so a
 * chunk not yet re-indexed after an archive or a visibility change can never leak.
 */
@QueryHandler(SearchArticlesQuery)
export class SearchArticlesHandler implements IQueryHandler<SearchArticlesQuery> {
  private readonly logger = new Logger(SearchArticlesHandler.name);
  private readonly locales = new Map<string, { at: number; locales: string[] }>();

  constructor(
    private readonly tx: TenantTransaction,
    private readonly chunks: ChunksRepository,
    private readonly categories: CategoriesRepository,
    @Inject(EMBEDDINGS_PROVIDER) private readonly provider: EmbeddingsProvider,
    @Inject(kbConfig.token) private readonly config: KbConfig,
    private readonly expansion: QueryExpansion,
  ) {}

  async execute({ input }: SearchArticlesQuery): Promise<SearchResults> {
    const q = (input.q ?? '').replace(/\u0000/g, '').trim();
    if (!q) throw badQuery('Send a search text in q.');
    if (q.length > SEARCH_QUERY_MAX) throw badQuery(`The search text has ${q.length} characters; at most ${SEARCH_QUERY_MAX} are accepted.`);
    const mode = input.mode ?? 'hybrid';
    const limit = Math.min(Math.max(input.limit ?? 10, 1), 50);
    let locale = input.locale !== undefined ? requireLocale(input.locale) : undefined;
    // No locale named: a knowledge base in several languages is searched in the query's own, when it has it.
    if (locale === undefined) locale = queryLocale(q, await this.tenantLocales(input.tenantId)) ?? undefined;
    const tags = input.tags?.length ? normaliseTags(input.tags) : undefined;
    const candidates = Math.max(40, limit * 4);

    // The tenant's words nearest to the query's unknown ones, for the lexical list only: added to
    // the dense query's text they pulled its vector off the question (kb:eval tuning half, ADR 0066).
    const expansion = mode === 'dense' ? '' : await this.expansion.expand(input.tenantId, q);
    let vector: string | null = null;
    let queryVector: Float32Array | null = null;
    if (mode !== 'lexical') {
      let v = input.vector;
      if (v === undefined) {
        try {
          [v] = await this.provider.embed([q], { tenantId: input.tenantId });
        } catch (error) {
          // An embeddings outage must not take search down: hybrid answers from full text alone;
          // dense has nothing to answer with.
          this.logger.warn({ err: error, provider: this.provider.id }, 'embedding the search text failed; answering from full text only');
          if (mode === 'dense') {
            throw new ProblemException({
              status: 503,
              type: 'embeddings-unavailable',
              title: 'Service Unavailable',
              detail: `The embeddings provider (${this.provider.id}) could not embed the search text; try again, or search with mode=hybrid or mode=lexical.`,
            });
          }
        }
      }
      queryVector = usableVector(v);
      if (queryVector) vector = toVectorLiteral(queryVector);
    }

    // While a provider change is being migrated, the vector path waits and full text still answers.
    const stored = vector ? await this.storedDimensions(input.tenantId) : undefined;
    if (stored && stored.dims !== this.provider.dimensions) vector = null;
    // The provider's search prefix, when the column holds exactly that prefix (ADR 0068).
    const prefixed = vector && this.provider.searchDimensions !== undefined && stored?.searchDims === this.provider.searchDimensions;
    const vectorPrefix = prefixed ? { dimensions: this.provider.searchDimensions!, pool: Math.max(this.config.KB_VECTOR_PREFIX_CANDIDATES, candidates) } : null;
    // A text with no word the embedder knows has no prefix to look up: full text answers it.
    if (vectorPrefix && !usableVector(queryVector!.subarray(0, vectorPrefix.dimensions))) vector = null;
    // Without a locale the statement parses the query with the configuration of every language the
    // tenant writes in. Not 'simple' on top of a language: its stop words ("how", "the") make every
    // GIN scan read most of the index.
    const statement = buildSearchStatement(
      {
        tenantId: input.tenantId,
        q,
        vector,
        vectorPrefix,
        configs: locale ? [textSearchConfig(locale)] : null,
        mode,
        audience: input.audience,
        limit,
        candidates,
        lexicalPool: candidates * LEXICAL_POOL_PER_CANDIDATE,
        locale,
        categoryId: input.categoryId,
        tags,
        expansion,
        rerank: input.rerank,
        learnedHalfLifeDays: this.config.KB_LEARNED_HALF_LIFE_DAYS,
        features: input.features,
      },
      LANGUAGE_CONFIGS,
    );
    if (!statement) return { results: [] };
    // One statement, sent with BEGIN, the tenant pin (and the vector list's settings) and COMMIT:
    // the embedded database's one session is never held waiting for this process.
    const [rows] = (await this.tx.reads(input.tenantId, [statement], searchSettings(vectorPrefix ? vectorPrefix.pool : this.config.KB_HNSW_EF_SEARCH))) as SearchRow[][];
    const results: SearchResult[] = rows.map((r) => ({
      articleId: r.article_id,
      title: r.title,
      slug: r.slug,
      locale: r.locale,
      chunkId: r.chunk_id,
      heading: r.heading,
      snippet: renderSnippet(r.snippet),
      score: Number(Number(r.score).toFixed(6)),
      ...(input.features && r.features ? { features: r.features } : {}),
    }));
    return { results };
  }

  /**
   * The locales the tenant has categories in, read at most once a minute per tenant and process (a
   * new language reaches language detection within that minute).
   */
  private async tenantLocales(tenantId: string): Promise<string[]> {
    const now = Date.now();
    const cached = this.locales.get(tenantId);
    if (cached && now - cached.at < LOCALES_TTL_MS) return cached.locales;
    const locales = await this.tx.run({ tenantId, actorId: null, correlationId: null }, (tx) => this.categories.locales(tx));
    if (this.locales.size >= LOCALES_CACHE_MAX) this.locales.clear();
    this.locales.set(tenantId, { at: now, locales });
    return locales;
  }

  /** The stored vector and search-prefix dimensions: read once per process (a migration changes them, and restarts it). */
  private async storedDimensions(tenantId: string): Promise<{ dims: number; searchDims: number | null }> {
    return (
      this.chunks.knownDimensions() ??
      this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => ({ dims: await this.chunks.vectorDimensions(tx), searchDims: await this.chunks.searchDimensions(tx) }))
    );
  }
}
