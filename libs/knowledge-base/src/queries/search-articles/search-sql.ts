/**
 * The hybrid search statement, as a pure function so that the benchmark's raw `pg` baseline runs
 * exactly the SQL the api runs.
 */

/** The k of reciprocal rank fusion (Cormack et al. 2009): damps the head of each list. */
export const RRF_K = 60;
export const SNIPPET_OPEN = '\u0001';
export const SNIPPET_CLOSE = '\u0002';
const HEADLINE = `StartSel=${SNIPPET_OPEN}, StopSel=${SNIPPET_CLOSE}, MaxWords=40, MinWords=15, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "`;

export interface SearchStatementInput {
  tenantId: string;
  q: string;
  /** `pgvector` literal of the query embedding; null skips the vector list. */
  vector: string | null;
  /** Parse the query with these text search configurations (whitelisted names). */
  configs: readonly string[];
  mode: 'hybrid' | 'lexical' | 'dense';
  audience: 'agent' | 'public';
  limit: number;
  /** Candidates taken from each list before fusion. */
  candidates: number;
  locale?: string;
  categoryId?: string;
  tags?: string[];
}

export interface SearchRow {
  article_id: string;
  title: string;
  slug: string;
  locale: string;
  chunk_id: string;
  heading: string;
  snippet: string;
  score: string;
}

/** Null when no list can run (lexical-free dense query without a vector). */
export function buildSearchStatement(input: SearchStatementInput): { sql: string; params: unknown[] } | null {
  const params: unknown[] = [input.tenantId, input.q, input.candidates, input.limit, HEADLINE];
  const p = (value: unknown) => `$${params.push(value)}`;
  // A placeholder only for a filter that is given: every parameter must be referenced.
  const locale = input.locale ? `${p(input.locale)}::text` : null;
  const category = input.categoryId ? `${p(input.categoryId)}::uuid` : null;
  const tags = input.tags?.length ? `${p(input.tags)}::text[]` : null;
  const filters = ['c.tenant_id = $1'];
  if (locale) filters.push(`c.locale = ${locale}`);
  if (category) filters.push(`c.category_id = ${category}`);
  if (tags) filters.push(`c.tags @> ${tags}`);
  if (input.audience === 'public') filters.push(`c.visibility = 'public'`);
  const where = filters.join(' AND ');
  const tsquery = input.configs.map((c) => `websearch_to_tsquery('${c.replace(/[^a-z_]/g, '')}'::regconfig, $2)`).join(' || ');

  const lists: string[] = [];
  // Inline, not from a CTE: only an expression of parameters lets the planner use the GIN index.
  const query = `(${tsquery})`;
  const ctes: string[] = [];
  if (input.mode !== 'dense') {
    // Through kb_lexical_candidates (see the knowledge-base migration) so that the GIN index serves
    // `@@` under row-level security; it applies the same tenant predicate as the policy.
    // ts_rank_cd's default weights rank title (A) > headings (B) > body (C).
    ctes.push(`lex AS (
      SELECT id, article_id, r FROM kb_lexical_candidates(${query}, ${locale ?? 'NULL::text'}, ${category ?? 'NULL::uuid'}, ${tags ?? 'NULL::text[]'}, ${input.audience === 'public'}, $3))`);
    lists.push('lex');
  }
  if (input.mode !== 'lexical' && input.vector) {
    const vec = p(input.vector);
    // With iterative scan, relaxed_order may return neighbours slightly out of order: rank by exact distance after.
    ctes.push(`dense AS (
      SELECT n.id, n.article_id, row_number() OVER (ORDER BY n.distance, n.id) AS r FROM (
        SELECT c.id, c.article_id, c.embedding <=> ${vec}::vector AS distance FROM kb_chunks c
         WHERE ${where} ORDER BY c.embedding <=> ${vec}::vector LIMIT $3) n)`);
    lists.push('dense');
  }
  if (lists.length === 0) return null;
  ctes.push(`hits AS (${lists.map((l) => `SELECT id, article_id, r, '${l}' AS list FROM ${l}`).join(' UNION ALL ')})`);
  // Articles, not chunks, are ranked: an article's rank in a list is that of its best chunk.
  ctes.push(`article_ranks AS (
    SELECT article_id, list, row_number() OVER (PARTITION BY list ORDER BY min(r), article_id) AS ar FROM hits GROUP BY article_id, list)`);
  ctes.push(`article_scores AS (SELECT article_id, sum(1.0 / (${RRF_K} + ar)) AS score FROM article_ranks GROUP BY article_id)`);
  ctes.push(`best_chunk AS (
    SELECT DISTINCT ON (article_id) article_id, id AS chunk_id FROM (
      SELECT id, article_id, sum(1.0 / (${RRF_K} + r)) AS s FROM hits GROUP BY id, article_id) x
    ORDER BY article_id, s DESC, id)`);
  const visible = input.audience === 'public' ? `AND a.visibility = 'public'` : '';
  const sql = `WITH ${ctes.join(',\n')}
     SELECT s.article_id, a.title, a.slug, a.locale, b.chunk_id, c.heading, s.score,
            ts_headline(c.ts_config, c.content, ${query}, $5) AS snippet
       FROM article_scores s
       JOIN best_chunk b ON b.article_id = s.article_id
       JOIN kb_chunks c ON c.tenant_id = $1 AND c.id = b.chunk_id
       JOIN kb_articles a ON a.tenant_id = $1 AND a.id = s.article_id AND a.status = 'published' ${visible}
      ORDER BY s.score DESC, s.article_id
      LIMIT $4`;
  return { sql, params };
}

/**
 * Run first in the search's transaction ($1 tenant, $2 ef_search, $3 whether a locale was given):
 * the vector list's settings (iterative scan, so filters never starve it) and, without a locale,
 * the languages the tenant writes in. One round trip.
 */
export const SEARCH_PREPARE_SQL = `SELECT set_config('hnsw.ef_search', $2, true), set_config('hnsw.iterative_scan', 'relaxed_order', true),
        CASE WHEN $3::boolean THEN NULL ELSE ARRAY(SELECT DISTINCT locale FROM kb_categories WHERE tenant_id = $1) END AS locales`;
