/**
 * The hybrid search statement, as a pure function so that the benchmark's raw `pg` baseline runs
 * exactly the SQL the api runs.
 */

/**
 * The k of reciprocal rank fusion (Cormack et al. 2009): damps the head of each list. With the
 * lists' weights, the best of k 10–60 × lexical weight 0.3–1.5 on kb:eval's tuning half (ADR 0055).
 */
export const RRF_K = 20;
export const FUSION_WEIGHTS = { lex: 0.3, dense: 1 };
/** A word the tenant never wrote is read as its most similar vocabulary word from this trigram similarity on. */
export const TYPO_MIN_SIMILARITY = 0.45;
/** How much more a chunk holding every word of the query scores in the lexical list. */
export const ALL_WORDS_BOOST = 1.5;
/** A synonym's share of its own idf in the lexical list: evidence, but less than the words typed. */
export const SYNONYM_WEIGHT = 0.5;
/** Fused articles the rerank scores; the page is taken from them. */
export const RERANK_DEPTH = 30;

/**
 * The rerank's linear weights over cheap features of each fused article (ADR 0063): its fused rank
 * score (as a share of the best), its best lexical chunk's BM25 score (as a share of the best), the
 * idf share of the query's own words that chunk holds (coverage of the rare words) and holds in its
 * title, the cosine similarity of its nearest chunk, its readers' feedback (helpful share, smoothed,
 * centred on 0) and the learned evidence from agents' replies (share of each query word's evidence
 * pointing to it). Fitted on kb:eval's tuning half (`scripts/kb-eval/fit-rerank.ts`); feedback and
 * learned evidence, absent from that set, carry set weights.
 */
export interface RerankWeights {
  fused: number;
  lexical: number;
  coverage: number;
  title: number;
  similarity: number;
  feedback: number;
  learned: number;
}
export const RERANK_WEIGHTS: RerankWeights = { fused: 1, lexical: 0.15, coverage: 0, title: 0.1, similarity: 1, feedback: 0.05, learned: 0.3 };
/** Learned evidence halves in this many days unless agents keep citing the article for the word. */
export const LEARNED_HALF_LIFE_DAYS = 90;

/**
 * The query's words and word pairs and triples, lower-cased and joined by one space, as synonym
 * terms are stored: what a synonym set is matched against.
 */
export function queryGrams(q: string): string[] {
  const words = normaliseTerm(q).split(' ').filter(Boolean).slice(0, 64);
  const grams = new Set<string>();
  for (let n = 1; n <= 3; n++) for (let i = 0; i + n <= words.length; i++) grams.add(words.slice(i, i + n).join(' '));
  return [...grams];
}

/** A synonym term as stored and matched: its letters and digits, lower-cased, one space between words ("Wi-Fi" → "wi fi"). */
export function normaliseTerm(term: string): string {
  return (term.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).join(' ');
}

/** Whether the text uses websearch syntax beyond words: a quoted phrase or a -excluded word. */
export function hasSearchOperators(q: string): boolean {
  return /"|(?:^|\s)-[\p{L}\p{N}]/u.test(q);
}

/**
 * The query's words joined by websearch's `or` (quotes, signs and the word "or" itself dropped):
 * what the snippet marks. Ranking reads the text itself (kb_lexical_ranked).
 */
export function anyWordsQuery(q: string): string {
  return (q.match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => w.toLowerCase() !== 'or').join(' or ');
}
export const SNIPPET_OPEN = '\u0001';
export const SNIPPET_CLOSE = '\u0002';
const HEADLINE = `StartSel=${SNIPPET_OPEN}, StopSel=${SNIPPET_CLOSE}, MaxWords=40, MinWords=15, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "`;

export interface SearchStatementInput {
  tenantId: string;
  q: string;
  /** `pgvector` literal of the query embedding; null skips the vector list. */
  vector: string | null;
  /**
   * The vector list through the index of the embedder's search prefix (ADR 0068): the `pool`
   * nearest chunks by the first `dimensions` dimensions (`kb_chunks.embedding_search`), re-ranked
   * by the whole vector. Null or absent: through the index of the whole vector, for embedders
   * without a prefix.
   */
  vectorPrefix?: { dimensions: number; pool: number } | null;
  /**
   * Parse the query with these text search configurations (whitelisted names); null: with the
   * configuration of every language the tenant writes in, looked up by the statement itself.
   */
  configs: readonly string[] | null;
  mode: 'hybrid' | 'lexical' | 'dense';
  audience: 'agent' | 'public';
  limit: number;
  /** Candidates taken from each list before fusion. */
  candidates: number;
  /** Full-text matches ranked at most for the lexical list (see LEXICAL_POOL_PER_CANDIDATE). */
  lexicalPool: number;
  /** Words added to the synonym sets' expansion (the tenant's words nearest to the query's, see QueryExpansion). */
  expansion?: string;
  /** Hybrid only: rerank the fused articles with these weights (default RERANK_WEIGHTS); null ranks by fusion alone. */
  rerank?: RerankWeights | null;
  /** Return each article's rerank features (evaluation). */
  features?: boolean;
  /** Learned evidence halves in this many days (KB_LEARNED_HALF_LIFE_DAYS). */
  learnedHalfLifeDays?: number;
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
  /** With `features`: the rerank's inputs for the article. */
  features?: Record<keyof RerankWeights, number> | null;
}

/**
 * Full-text matches ranked per lexical candidate taken. Ranking reads every match it ranks, and a
 * two-word question can match a tenth of a large knowledge base (10,000 chunks of 100,000 in the
 * benchmark, ~200 ms on the embedded database), so the list ranks the first matches the index
 * yields, at most this many per candidate; fewer matches are all ranked, as before.
 */
export const LEXICAL_POOL_PER_CANDIDATE = 10;

/** Postgres text search configuration by primary language subtag, for the statement's own lookup. */
export interface LanguageConfigs {
  languages: readonly string[];
  configs: readonly string[];
}

/** Null when no list can run (lexical-free dense query without a vector). */
export function buildSearchStatement(input: SearchStatementInput, languageConfigs?: LanguageConfigs): { sql: string; params: unknown[] } | null {
  // $2: the words OR-ed, what the snippet marks (the lexical list reads the text itself).
  const params: unknown[] = [input.tenantId, anyWordsQuery(input.q), input.candidates, input.limit, HEADLINE];
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
  const ctes: string[] = [];
  if (input.configs) {
    ctes.push(`cfgs AS (SELECT ARRAY[${input.configs.map((c) => `'${c.replace(/[^a-z_]/g, '')}'`).join(', ')}]::regconfig[] AS cfgs)`);
  } else {
    if (!languageConfigs) throw new Error('buildSearchStatement: the tenant\'s languages need the language → configuration table');
    // In the statement, not a round trip before it: the transaction then needs no answer from this
    // process until it ends. Unknown languages parse with 'simple', as a tenant without categories.
    const languages = p(languageConfigs.languages);
    const configs = p(languageConfigs.configs);
    ctes.push(`cfgs AS (SELECT coalesce((
      SELECT array_agg(l.cfg ORDER BY l.cfg::text) FROM (
        SELECT DISTINCT coalesce(m.cfg, 'simple')::regconfig AS cfg FROM kb_categories k
          LEFT JOIN unnest(${languages}::text[], ${configs}::text[]) AS m (lang, cfg) ON m.lang = lower(split_part(k.locale, '-', 1))
         WHERE k.tenant_id = $1) l), ARRAY['simple']::regconfig[]) AS cfgs)`);
  }
  // What the snippet marks: any of the query's words, in every configuration.
  ctes.push(`query AS (SELECT kb_tsquery_or(websearch_to_tsquery(cfg, $2) ORDER BY cfg::text) AS q FROM unnest((SELECT cfgs FROM cfgs)) cfg)`);
  // A scalar subquery: computed once, and a plain value for the function and ts_headline.
  const query = `(SELECT q FROM query)`;
  const lists: string[] = [];
  // The query text as a parameter, sent only when a part of the statement reads it.
  let textParam: string | undefined;
  const textOf = () => (textParam ??= p(input.q));
  if (input.mode !== 'dense') {
    // The tenant's synonym sets holding one of the query's words or phrases add their other terms.
    const grams = p(queryGrams(input.q));
    const nearWords = input.expansion ? `${p(input.expansion)}::text` : 'NULL::text';
    ctes.push(`syn AS (
      SELECT concat_ws(' ', string_agg(DISTINCT t, ' '), ${nearWords}) AS words FROM kb_synonyms s, unnest(s.terms) t
       WHERE s.tenant_id = $1 AND s.terms && ${grams}::text[] AND t <> ALL (${grams}::text[]))`);
    // Through kb_lexical_ranked (see the kb-lexical-ranking migration) so that the GIN indexes
    // serve `@@` and `%` under row-level security; it applies the same tenant predicate as the
    // policy. BM25 over any of the words, typos corrected against the tenant's vocabulary.
    // Quotes and a leading minus keep their websearch meaning: the phrase must match, the word must not.
    const text = textOf();
    const required = hasSearchOperators(input.q) ? `(SELECT kb_tsquery_or(websearch_to_tsquery(cfg, ${text}::text) ORDER BY cfg::text) FROM unnest((SELECT cfgs FROM cfgs)) cfg)` : 'NULL::tsquery';
    ctes.push(`lex AS (
      SELECT id, article_id, r, score, coverage, title_coverage FROM kb_lexical_ranked(${text}::text, (SELECT words FROM syn), (SELECT cfgs FROM cfgs), ${required}, ${locale ?? 'NULL::text'}, ${category ?? 'NULL::uuid'}, ${tags ?? 'NULL::text[]'}, ${input.audience === 'public'}, $3, ${p(input.lexicalPool)}::int, ${p(TYPO_MIN_SIMILARITY)}::float8, ${p(ALL_WORDS_BOOST)}::float8, ${p(SYNONYM_WEIGHT)}::float8))`);
    lists.push('lex');
  }
  if (input.mode !== 'lexical' && input.vector) {
    const vec = p(input.vector);
    const prefix = input.vectorPrefix;
    if (prefix) {
      // The prefix's index finds `pool` candidates (its heap rows are read for the filters anyway),
      // then the whole vector ranks them: the list and its distances are the whole vector's, as before.
      const dims = Math.trunc(prefix.dimensions);
      ctes.push(`dense AS (
      SELECT n.id, n.article_id, n.distance, row_number() OVER (ORDER BY n.distance, n.id) AS r FROM (
        SELECT k.id, k.article_id, k.embedding <=> ${vec}::vector AS distance FROM (
          SELECT c.id, c.article_id, c.embedding FROM kb_chunks c
           WHERE ${where} ORDER BY c.embedding_search <=> subvector(${vec}::vector, 1, ${dims})::halfvec(${dims}) LIMIT ${p(Math.trunc(prefix.pool))}::int) k
         ORDER BY distance, k.id LIMIT $3) n)`);
    } else {
      // The whole vector's index holds the chunks of embedders without a search prefix (a partial index).
      // With iterative scan, relaxed_order may return neighbours slightly out of order: rank by exact distance after.
      ctes.push(`dense AS (
      SELECT n.id, n.article_id, n.distance, row_number() OVER (ORDER BY n.distance, n.id) AS r FROM (
        SELECT c.id, c.article_id, c.embedding <=> ${vec}::vector AS distance FROM kb_chunks c
         WHERE ${where} AND c.embedder NOT LIKE 'local:%' ORDER BY c.embedding <=> ${vec}::vector LIMIT $3) n)`);
    }
    lists.push('dense');
  }
  if (lists.length === 0) return null;
  ctes.push(`hits AS (${lists.map((l) => `SELECT id, article_id, r, '${l}' AS list FROM ${l}`).join(' UNION ALL ')})`);
  // Articles, not chunks, are ranked: an article's rank in a list is that of its best chunk.
  ctes.push(`article_ranks AS (
    SELECT article_id, list, row_number() OVER (PARTITION BY list ORDER BY min(r), article_id) AS ar FROM hits GROUP BY article_id, list)`);
  const weights = p([FUSION_WEIGHTS.lex, FUSION_WEIGHTS.dense]);
  ctes.push(`article_scores AS (
    SELECT article_id, sum(CASE list WHEN 'lex' THEN (${weights}::float8[])[1] ELSE (${weights}::float8[])[2] END / (${RRF_K} + ar)) AS score FROM article_ranks GROUP BY article_id)`);
  ctes.push(`best_chunk AS (
    SELECT DISTINCT ON (article_id) article_id, id AS chunk_id FROM (
      SELECT id, article_id, sum(1.0 / (${RRF_K} + r)) AS s FROM hits GROUP BY id, article_id) x
    ORDER BY article_id, s DESC, id)`);
  const visible = input.audience === 'public' ? `AND a.visibility = 'public'` : '';
  const rerank = input.mode === 'hybrid' && lists.length === 2 ? (input.rerank === undefined ? RERANK_WEIGHTS : input.rerank) : null;
  let ranked = 'article_scores';
  let featureColumn = '';
  if (rerank || input.features) {
    // Cheap features of the best fused articles (ADR 0063), each in a comparable range within one
    // query: shares of the best fused and lexical scores, idf shares of the query's words, cosine
    // similarity, smoothed helpful share, share of the learned evidence.
    const w = rerank ?? { fused: 1, lexical: 0, coverage: 0, title: 0, similarity: 0, feedback: 0, learned: 0 };
    const weight = p([w.fused, w.lexical, w.coverage, w.title, w.similarity, w.feedback, w.learned]);
    const wv = (i: number) => `(${weight}::float8[])[${i}]`;
    ctes.push(`cand AS (SELECT article_id, score FROM article_scores ORDER BY score DESC, article_id LIMIT ${p(Math.max(RERANK_DEPTH, input.limit))}::int)`);
    ctes.push(`lexf AS (SELECT article_id, max(score) AS lex, max(coverage) AS cov, max(title_coverage) AS tcov FROM ${lists.includes('lex') ? 'lex' : '(SELECT NULL::uuid AS article_id, 0::float8 AS score, 0::float8 AS coverage, 0::float8 AS title_coverage WHERE false) l'} GROUP BY article_id)`);
    ctes.push(`densef AS (SELECT article_id, 1 - min(distance) AS sim FROM ${lists.includes('dense') ? 'dense' : '(SELECT NULL::uuid AS article_id, 1::float8 AS distance WHERE false) d'} GROUP BY article_id)`);
    ctes.push(`fb AS (
      SELECT f.article_id, (count(*) FILTER (WHERE f.helpful) + 1)::float8 / (count(*) + 2) - 0.5 AS fb FROM kb_article_feedback f
       WHERE f.tenant_id = $1 AND f.article_id IN (SELECT article_id FROM cand) GROUP BY f.article_id)`);
    ctes.push(`qlex AS (SELECT DISTINCT u.lexeme FROM unnest((SELECT cfgs FROM cfgs)) cfg, unnest(to_tsvector(cfg, left(${textOf()}::text, 1000))) u)`);
    ctes.push(`learned AS (
      SELECT article_id, sum(w / tot) / GREATEST((SELECT count(*) FROM qlex), 1) AS learned FROM (
        SELECT l.article_id, l.w, sum(l.w) OVER (PARTITION BY l.lexeme) + 1 AS tot FROM (
          SELECT l.article_id, l.lexeme, l.weight * power(0.5, extract(epoch FROM now() - l.updated_at) / (86400 * ${p(input.learnedHalfLifeDays ?? LEARNED_HALF_LIFE_DAYS)}::float8)) AS w
            FROM kb_learned_terms l WHERE l.tenant_id = $1 AND l.lexeme IN (SELECT lexeme FROM qlex)) l) x
       WHERE article_id IN (SELECT article_id FROM cand) GROUP BY article_id)`);
    ctes.push(`feat AS (
      SELECT c.article_id,
             c.score / GREATEST(max(c.score) OVER (), 1e-9) AS fused,
             coalesce(l.lex, 0) / GREATEST(max(coalesce(l.lex, 0)) OVER (), 1e-9) AS lexical,
             coalesce(l.cov, 0) AS coverage, coalesce(l.tcov, 0) AS title,
             coalesce(d.sim, (SELECT min(sim) FROM densef), 0) AS similarity,
             coalesce(f.fb, 0) AS feedback, coalesce(g.learned, 0) AS learned
        FROM cand c LEFT JOIN lexf l USING (article_id) LEFT JOIN densef d USING (article_id) LEFT JOIN fb f USING (article_id) LEFT JOIN learned g USING (article_id))`);
    ctes.push(`reranked AS (
      SELECT article_id, ${wv(1)} * fused + ${wv(2)} * lexical + ${wv(3)} * coverage + ${wv(4)} * title + ${wv(5)} * similarity + ${wv(6)} * feedback + ${wv(7)} * learned AS score,
             ${input.features ? `json_build_object('fused', fused, 'lexical', lexical, 'coverage', coverage, 'title', title, 'similarity', similarity, 'feedback', feedback, 'learned', learned)` : 'NULL::json'} AS features
        FROM feat)`);
    ranked = 'reranked';
    featureColumn = ', s.features';
  }
  // The page of articles first, then the chunk and snippet of those only: ts_headline and the chunk
  // read cost per row, and fusion leaves two to three times as many articles as the page shows.
  ctes.push(`top AS (
    SELECT s.article_id, s.score, a.title, a.slug, a.locale${featureColumn} FROM ${ranked} s
      JOIN kb_articles a ON a.tenant_id = $1 AND a.id = s.article_id AND a.status = 'published' ${visible}
     ORDER BY s.score DESC, s.article_id
     LIMIT $4)`);
  const sql = `WITH ${ctes.join(',\n')}
     SELECT t.article_id, t.title, t.slug, t.locale, b.chunk_id, c.heading, t.score${featureColumn ? ', t.features' : ''},
            ts_headline(c.ts_config, c.content, ${query}, $5) AS snippet
       FROM top t
       JOIN best_chunk b ON b.article_id = t.article_id
       JOIN kb_chunks c ON c.tenant_id = $1 AND c.id = b.chunk_id
      ORDER BY t.score DESC, t.article_id`;
  return { sql, params };
}

/**
 * The vector list's transaction-local settings: the candidate list size, and iterative scan so that
 * tenant, visibility and filters never starve it.
 */
export const searchSettings = (efSearch: number): Record<string, string> => ({ 'hnsw.ef_search': String(efSearch), 'hnsw.iterative_scan': 'relaxed_order' });
