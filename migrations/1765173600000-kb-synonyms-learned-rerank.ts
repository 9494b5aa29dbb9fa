import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_DB_ROLE } from '../libs/platform/src/database/data-source-options';
import { CURRENT_TENANT, enableTenantRls } from '../libs/platform/src/database/migration-helpers';
import { LEXICAL_RANKED_V1 } from './1765137600000-kb-lexical-ranking';

/**
 * Knowledge-base search tuned per tenant and reranked on features (docs/adr/0063-kb-synonyms-learned-signals-rerank.md):
 *
 * - `kb_synonyms`: the tenant's synonym sets (`/v1/kb/synonyms`); a query word or phrase that is a
 *   term of a set adds the set's other terms to the lexical side, at a lower weight.
 * - `kb_learned_terms`: per tenant, evidence that a query word leads to an article, learned when an
 *   agent's reply links an article: the ticket's words each add 1 to (word, article), and the
 *   weight halves every half-life (kept as a value at `updated_at`, decayed when read or added to).
 *   `kb_learned_sources` records the replies already counted, so a redelivered event adds nothing.
 * - `kb_lexical_ranked` gains synonym expansion (`p_expansion`, scored at `p_expansion_weight` of
 *   their idf, never required for the all-words boost) and returns each chunk's BM25 score, the
 *   idf share of the query's own words it holds (coverage) and the share held in the title, for
 *   the rerank.
 */
export class KbSynonymsLearnedRerank1765173600000 implements MigrationInterface {
  name = 'KbSynonymsLearnedRerank1765173600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE kb_synonyms (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      terms text[] NOT NULL CHECK (cardinality(terms) BETWEEN 2 AND 20),
      version int NOT NULL DEFAULT 1,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      updated_at timestamptz(3) NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id)
    )`);
    await q.query(`CREATE INDEX kb_synonyms_terms ON kb_synonyms USING gin (terms)`);
    await enableTenantRls(q, 'kb_synonyms');

    await q.query(`CREATE TABLE kb_learned_terms (
      tenant_id uuid NOT NULL,
      lexeme text NOT NULL,
      article_id uuid NOT NULL,
      weight float8 NOT NULL,
      updated_at timestamptz(3) NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, lexeme, article_id),
      FOREIGN KEY (tenant_id, article_id) REFERENCES kb_articles (tenant_id, id) ON DELETE CASCADE
    )`);
    await q.query(`CREATE INDEX kb_learned_terms_article ON kb_learned_terms (tenant_id, article_id)`);
    await enableTenantRls(q, 'kb_learned_terms', ['SELECT', 'INSERT', 'UPDATE', 'DELETE']);
    await q.query(`CREATE TABLE kb_learned_sources (
      tenant_id uuid NOT NULL,
      source text NOT NULL,
      article_ids uuid[] NOT NULL,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, source)
    )`);
    await enableTenantRls(q, 'kb_learned_sources', ['SELECT', 'INSERT']);

    await q.query(`DROP FUNCTION kb_lexical_ranked(text, regconfig[], tsquery, text, uuid, text[], boolean, int, int, float8, float8)`);
    await q.query(`CREATE FUNCTION kb_lexical_ranked(p_text text, p_expansion text, p_configs regconfig[], p_required tsquery, p_locale text, p_category uuid, p_tags text[], p_public_only boolean,
                                                     p_limit int, p_pool int, p_min_similarity float8, p_all_words_boost float8, p_expansion_weight float8)
      RETURNS TABLE (id uuid, article_id uuid, r bigint, score float8, coverage float8, title_coverage float8)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $fn$
        WITH total AS (
          SELECT GREATEST(coalesce((SELECT t.df FROM kb_terms t WHERE t.tenant_id = ${CURRENT_TENANT} AND t.lexeme = ''), 0), 1)::float8 AS n),
        words AS (
          SELECT DISTINCT u.lexeme FROM unnest(p_configs) cfg, unnest(to_tsvector(cfg, left(p_text, 1000))) u),
        expansion AS (
          SELECT DISTINCT u.lexeme FROM unnest(p_configs) cfg, unnest(to_tsvector(cfg, left(coalesce(p_expansion, ''), 1000))) u
           WHERE u.lexeme NOT IN (SELECT lexeme FROM words)),
        known AS (
          SELECT w.lexeme, coalesce(t.df, 0) AS df FROM words w
            LEFT JOIN kb_terms t ON t.tenant_id = ${CURRENT_TENANT} AND t.lexeme = w.lexeme),
        corrected AS (
          SELECT DISTINCT ON (k.lexeme) k.lexeme AS word, t.lexeme, t.df, similarity(t.lexeme, k.lexeme) AS weight
            FROM known k
            JOIN kb_terms t ON t.tenant_id = ${CURRENT_TENANT} AND t.lexeme % k.lexeme AND t.df > 0 AND t.lexeme <> ''
           WHERE k.df = 0 AND length(k.lexeme) >= 4 AND similarity(t.lexeme, k.lexeme) >= p_min_similarity
           ORDER BY k.lexeme, similarity(t.lexeme, k.lexeme) DESC, t.df DESC, t.lexeme),
        terms AS (
          SELECT lexeme, max(idf) AS idf, min(df) AS df, bool_or(own) AS own FROM (
            SELECT k.lexeme, k.df, ln(1 + ((SELECT n FROM total) - k.df + 0.5) / (k.df + 0.5)) AS idf, true AS own FROM known k WHERE k.df > 0
            UNION ALL
            SELECT c.lexeme, c.df, c.weight * ln(1 + ((SELECT n FROM total) - c.df + 0.5) / (c.df + 0.5)), true FROM corrected c
            UNION ALL
            SELECT e.lexeme, t.df, p_expansion_weight * ln(1 + ((SELECT n FROM total) - t.df + 0.5) / (t.df + 0.5)), false
              FROM expansion e JOIN kb_terms t ON t.tenant_id = ${CURRENT_TENANT} AND t.lexeme = e.lexeme AND t.df > 0) x
           GROUP BY lexeme),
        own_total AS (
          SELECT count(*) AS n, GREATEST(coalesce(sum(idf), 0), 1e-9) AS idf FROM terms WHERE own),
        generating AS (
          SELECT lexeme FROM terms WHERE df <= (SELECT n FROM total) / 5
          UNION SELECT lexeme FROM (SELECT lexeme FROM terms ORDER BY df, lexeme LIMIT 1) rarest),
        query AS (
          SELECT kb_tsquery_or(('''' || replace(replace(lexeme, '\\', '\\\\'), '''', '''''') || '''')::tsquery ORDER BY lexeme) AS q FROM generating),
        candidates AS (
          SELECT c.id, c.article_id, c.tsv, length(c.tsv)::float8 AS len
            FROM kb_chunks c
           WHERE c.tenant_id = ${CURRENT_TENANT}
             AND c.tsv @@ (SELECT q FROM query)
             AND (p_required IS NULL OR c.tsv @@ p_required)
             AND (p_locale IS NULL OR c.locale = p_locale)
             AND (p_category IS NULL OR c.category_id = p_category)
             AND (p_tags IS NULL OR c.tags @> p_tags)
             AND (NOT p_public_only OR c.visibility = 'public')
           LIMIT p_pool),
        scored AS (
          SELECT c.id, c.article_id,
                 s.bm25 * CASE WHEN s.matched_own = (SELECT n FROM own_total) THEN p_all_words_boost ELSE 1 END AS score,
                 s.own_idf / (SELECT idf FROM own_total) AS coverage,
                 s.title_idf / (SELECT idf FROM own_total) AS title_coverage
            FROM (SELECT cc.*, avg(cc.len) OVER () AS avg_len FROM candidates cc) c,
            LATERAL (
              SELECT coalesce(sum(t.idf * (f.tf * 2.2) / (f.tf + 1.2 * (0.25 + 0.75 * c.len / c.avg_len))), 0) AS bm25,
                     count(*) FILTER (WHERE t.own) AS matched_own,
                     coalesce(sum(t.idf) FILTER (WHERE t.own), 0) AS own_idf,
                     coalesce(sum(t.idf) FILTER (WHERE t.own AND f.in_title), 0) AS title_idf
                FROM unnest(c.tsv) u
                JOIN terms t ON t.lexeme = u.lexeme,
                LATERAL (SELECT sum(CASE w WHEN 'A' THEN 3 WHEN 'B' THEN 2 ELSE 1 END)::float8 AS tf, bool_or(w = 'A') AS in_title FROM unnest(u.weights) w) f) s)
        SELECT s.id, s.article_id, row_number() OVER (ORDER BY s.score DESC, s.id) AS r, s.score, s.coverage, s.title_coverage
          FROM scored s
         ORDER BY r
         LIMIT p_limit
      $fn$`);
    const signature = 'text, text, regconfig[], tsquery, text, uuid, text[], boolean, int, int, float8, float8, float8';
    await q.query(`REVOKE ALL ON FUNCTION kb_lexical_ranked(${signature}) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION kb_lexical_ranked(${signature}) TO ${APP_DB_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION IF EXISTS kb_lexical_ranked(text, text, regconfig[], tsquery, text, uuid, text[], boolean, int, int, float8, float8, float8)`);
    await q.query(`DROP TABLE IF EXISTS kb_learned_sources`);
    await q.query(`DROP TABLE IF EXISTS kb_learned_terms`);
    await q.query(`DROP TABLE IF EXISTS kb_synonyms`);
    await q.query(LEXICAL_RANKED_V1);
    await q.query(`REVOKE ALL ON FUNCTION kb_lexical_ranked(text, regconfig[], tsquery, text, uuid, text[], boolean, int, int, float8, float8) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION kb_lexical_ranked(text, regconfig[], tsquery, text, uuid, text[], boolean, int, int, float8, float8) TO ${APP_DB_ROLE}`);
  }
}
