import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EMBEDDINGS_PROVIDER, type EmbeddingsProvider } from '@switchboard/ai-gateway';
import { APP_CONFIG, ProblemException, TenantTransaction, type AppConfig } from '@switchboard/platform';
import { canonicalLocale, requireLocale, textSearchConfig } from '../../domain/locale';
import { normaliseTags } from '../../domain/problems';
import { toVectorLiteral } from '../../indexing/article-indexer';
import { SearchArticlesQuery, type SearchResult, type SearchResults } from './search-articles.query';

export const SEARCH_QUERY_MAX = 1000;
/** The k of reciprocal rank fusion (Cormack et al.): damps the head of each list. */
const RRF_K = 60;
const OPEN = '\u0001';
const CLOSE = '\u0002';
const HEADLINE = `StartSel=${OPEN}, StopSel=${CLOSE}, MaxWords=40, MinWords=15, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "`;

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** ts_headline's sentinels become <mark> only after the text itself is escaped. */
export const renderSnippet = (raw: string) => escapeHtml(raw.replace(/\s+/g, ' ').trim()).replaceAll(OPEN, '<mark>').replaceAll(CLOSE, '</mark>');

const badQuery = (detail: string) => new ProblemException({ status: 400, type: 'validation-failed', title: 'Bad Request', detail, errors: [{ field: 'q', message: detail }] });

/**
 * One tenant-scoped SQL statement: a full-text list (websearch syntax, weights title > headings >
 * body) and an HNSW vector list (iterative scan, so tenant, visibility and filters never starve
 * it), each collapsed to articles and fused by reciprocal rank; the best chunk of each article
 * gives the snippet. Visibility and status are checked against the article row itself, so a
 * chunk not yet re-indexed after an archive or a visibility change can never leak.
 */
@QueryHandler(SearchArticlesQuery)
export class SearchArticlesHandler implements IQueryHandler<SearchArticlesQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    @Inject(EMBEDDINGS_PROVIDER) private readonly provider: EmbeddingsProvider,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ input }: SearchArticlesQuery): Promise<SearchResults> {
    const q = (input.q ?? '').replace(/\u0000/g, '').trim();
    if (!q) throw badQuery('Send a search text in q.');
    if (q.length > SEARCH_QUERY_MAX) throw badQuery(`The search text has ${q.length} characters; at most ${SEARCH_QUERY_MAX} are accepted.`);
    const mode = input.mode ?? 'hybrid';
    const limit = Math.min(Math.max(input.limit ?? 10, 1), 50);
    const locale = input.locale !== undefined ? requireLocale(input.locale) : undefined;
    const tags = input.tags?.length ? normaliseTags(input.tags) : undefined;
    const candidates = Math.max(40, limit * 4);

    let vector: string | null = null;
    if (mode !== 'lexical') {
      const [v] = await this.provider.embed([q]);
      let norm = 0;
      for (const x of v ?? []) norm += x * x;
      // A text with nothing the embedder knows (emoji, punctuation) has no direction to search in.
      if (v && Number.isFinite(norm) && norm > 1e-12) vector = toVectorLiteral(v);
    }

    return this.tx.run({ tenantId: input.tenantId, actorId: null, correlationId: null }, async (tx) => {
      const m = tx.manager;
      const params: unknown[] = [input.tenantId, q, candidates, limit, HEADLINE];
      const p = (value: unknown) => `$${params.push(value)}`;
      const filters = ['c.tenant_id = $1'];
      if (locale) filters.push(`c.locale = ${p(locale)}`);
      if (input.categoryId) filters.push(`c.category_id = ${p(input.categoryId)}::uuid`);
      if (tags) filters.push(`c.tags @> ${p(tags)}::text[]`);
      if (input.audience === 'public') filters.push(`c.visibility = 'public'`);
      const where = filters.join(' AND ');

      // Without a locale, the query is parsed with every language the tenant writes in.
      let configs: string[];
      if (locale) configs = [textSearchConfig(locale)];
      else {
        const locales: { locale: string }[] = await m.query(`SELECT DISTINCT locale FROM kb_categories WHERE tenant_id = $1`, [input.tenantId]);
        configs = [...new Set(['simple', ...locales.map((l) => textSearchConfig(canonicalLocale(l.locale) ?? 'und'))])];
      }
      const tsquery = configs.map((c) => `websearch_to_tsquery('${c}'::regconfig, $2)`).join(' || ');

      const lists: string[] = [];
      const ctes: string[] = [`tsq AS (SELECT (${tsquery}) AS query)`];
      if (mode !== 'dense') {
        ctes.push(`lex AS (
          SELECT c.id, c.article_id, row_number() OVER (ORDER BY ts_rank_cd(c.tsv, tsq.query) DESC, c.id) AS r
            FROM kb_chunks c, tsq
           WHERE ${where} AND c.tsv @@ tsq.query
           ORDER BY r LIMIT $3)`);
        lists.push('lex');
      }
      if (mode !== 'lexical' && vector) {
        await m.query(`SELECT set_config('hnsw.ef_search', $1, true), set_config('hnsw.iterative_scan', 'relaxed_order', true)`, [String(this.config.KB_HNSW_EF_SEARCH)]);
        const vec = p(vector);
        // relaxed_order may return near neighbours slightly out of order: rank by exact distance after.
        ctes.push(`dense AS (
          SELECT n.id, n.article_id, row_number() OVER (ORDER BY n.distance, n.id) AS r FROM (
            SELECT c.id, c.article_id, c.embedding <=> ${vec}::vector AS distance FROM kb_chunks c
             WHERE ${where} ORDER BY c.embedding <=> ${vec}::vector LIMIT $3) n)`);
        lists.push('dense');
      }
      if (lists.length === 0) return { results: [] };
      const union = lists.map((l) => `SELECT id, article_id, r, '${l}' AS list FROM ${l}`).join(' UNION ALL ');
      ctes.push(`hits AS (${union})`);
      // Articles, not chunks, are ranked: an article's rank in a list is that of its best chunk.
      ctes.push(`article_ranks AS (
        SELECT article_id, list, row_number() OVER (PARTITION BY list ORDER BY min(r), article_id) AS ar FROM hits GROUP BY article_id, list)`);
      ctes.push(`article_scores AS (SELECT article_id, sum(1.0 / (${RRF_K} + ar)) AS score FROM article_ranks GROUP BY article_id)`);
      ctes.push(`best_chunk AS (
        SELECT DISTINCT ON (article_id) article_id, id AS chunk_id FROM (
          SELECT id, article_id, sum(1.0 / (${RRF_K} + r)) AS s FROM hits GROUP BY id, article_id) x
        ORDER BY article_id, s DESC, id)`);
      const visible = input.audience === 'public' ? `AND a.visibility = 'public'` : '';
      const rows: { article_id: string; title: string; slug: string; locale: string; chunk_id: string; heading: string; snippet: string; score: string }[] = await m.query(
        `WITH ${ctes.join(',\n')}
         SELECT s.article_id, a.title, a.slug, a.locale, b.chunk_id, c.heading, s.score,
                ts_headline(c.ts_config, c.content, tsq.query, $5) AS snippet
           FROM article_scores s
           JOIN best_chunk b ON b.article_id = s.article_id
           JOIN kb_chunks c ON c.tenant_id = $1 AND c.id = b.chunk_id
           JOIN kb_articles a ON a.tenant_id = $1 AND a.id = s.article_id AND a.status = 'published' ${visible}
           CROSS JOIN tsq
          ORDER BY s.score DESC, s.article_id
          LIMIT $4`,
        params,
      );
      const results: SearchResult[] = rows.map((r) => ({
        articleId: r.article_id,
        title: r.title,
        slug: r.slug,
        locale: r.locale,
        chunkId: r.chunk_id,
        heading: r.heading,
        snippet: renderSnippet(r.snippet),
        score: Number(Number(r.score).toFixed(6)),
      }));
      return { results };
    });
  }
}
