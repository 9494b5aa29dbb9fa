import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_DB_ROLE } from '../libs/platform/src/database/data-source-options';
import { CURRENT_TENANT, enableTenantRls } from '../libs/platform/src/database/migration-helpers';

/** The ranking function as this migration defines it (a later migration's down restores it). */
export const LEXICAL_RANKED_V1 = `CREATE FUNCTION kb_lexical_ranked(p_text text, p_configs regconfig[], p_required tsquery, p_locale text, p_category uuid, p_tags text[], p_public_only boolean,
                                                     p_limit int, p_pool int, p_min_similarity float8, p_all_words_boost float8)
      RETURNS TABLE (id uuid, article_id uuid, r bigint)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $fn$
        WITH total AS (
          SELECT GREATEST(coalesce((SELECT t.df FROM kb_terms t WHERE t.tenant_id = ${CURRENT_TENANT} AND t.lexeme = ''), 0), 1)::float8 AS n),
        words AS (
          SELECT DISTINCT u.lexeme FROM unnest(p_configs) cfg, unnest(to_tsvector(cfg, left(p_text, 1000))) u),
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
          SELECT lexeme, max(idf) AS idf, min(df) AS df FROM (
            SELECT k.lexeme, k.df, ln(1 + ((SELECT n FROM total) - k.df + 0.5) / (k.df + 0.5)) AS idf FROM known k WHERE k.df > 0
            UNION ALL
            SELECT c.lexeme, c.df, c.weight * ln(1 + ((SELECT n FROM total) - c.df + 0.5) / (c.df + 0.5)) FROM corrected c) x
           GROUP BY lexeme),
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
          SELECT c.id, c.article_id, s.bm25 * CASE WHEN s.matched = (SELECT count(*) FROM terms) THEN p_all_words_boost ELSE 1 END AS score
            FROM (SELECT cc.*, avg(cc.len) OVER () AS avg_len FROM candidates cc) c,
            LATERAL (
              SELECT coalesce(sum(t.idf * (f.tf * 2.2) / (f.tf + 1.2 * (0.25 + 0.75 * c.len / c.avg_len))), 0) AS bm25, count(*) AS matched
                FROM unnest(c.tsv) u
                JOIN terms t ON t.lexeme = u.lexeme,
                LATERAL (SELECT sum(CASE w WHEN 'A' THEN 3 WHEN 'B' THEN 2 ELSE 1 END)::float8 AS tf FROM unnest(u.weights) w) f) s)
        SELECT s.id, s.article_id, row_number() OVER (ORDER BY s.score DESC, s.id) AS r
          FROM scored s
         ORDER BY r
         LIMIT p_limit
      $fn$`;

/**
 * The knowledge base's lexical side ranks on any matching word with BM25 weighting, per tenant,
 * and corrects typos against the tenant's own vocabulary (docs/adr/0055-kb-search-ranking.md):
 *
 * - `kb_terms`: per tenant, every lexeme of its indexed chunks with the number of chunks holding
 *   it (document frequency, for idf and for typo correction; a trigram index serves `%`). The row
 *   with the empty lexeme, which no text search configuration produces, counts the chunks
 *   themselves (N of the idf). Kept by statement-level triggers on `kb_chunks` in the transaction
 *   that writes the chunks, on every path (indexing, re-indexing, archive, cascade deletes).
 * - `kb_lexical_ranked` replaces `kb_lexical_candidates`: the query's words (parsed with every
 *   given configuration: stemming and stop words of each language the tenant writes in), each
 *   unknown word replaced by the most similar word of the tenant's vocabulary, the chunks holding
 *   any of the rarer words as candidates (at most `p_pool`), ranked by BM25 with title and
 *   heading occurrences counting more than body ones, and a boost for chunks holding every word.
 *   SECURITY DEFINER with the policy's own tenant predicate, as before, so that the GIN indexes
 *   serve `@@` and `%` under row-level security.
 */
export class KbLexicalRanking1765137600000 implements MigrationInterface {
  name = 'KbLexicalRanking1765137600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE kb_terms (
      tenant_id uuid NOT NULL,
      lexeme text NOT NULL,
      df int NOT NULL DEFAULT 0,
      PRIMARY KEY (tenant_id, lexeme)
    )`);
    await q.query(`CREATE INDEX kb_terms_trgm ON kb_terms USING gin (lexeme gin_trgm_ops)`);
    await enableTenantRls(q, 'kb_terms', ['SELECT', 'INSERT', 'UPDATE']);
    await q.query(`INSERT INTO kb_terms (tenant_id, lexeme, df)
      SELECT c.tenant_id, u.lexeme, count(*) FROM kb_chunks c, unnest(c.tsv) u GROUP BY 1, 2
      UNION ALL SELECT tenant_id, '', count(*) FROM kb_chunks GROUP BY 1`);

    // Lexemes in a stable order, so that two transactions indexing for one tenant lock rows alike.
    await q.query(`CREATE FUNCTION kb_terms_added() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO kb_terms AS t (tenant_id, lexeme, df)
          SELECT tenant_id, lexeme, sum(n) FROM (
            SELECT c.tenant_id, u.lexeme, 1 AS n FROM added_chunks c, unnest(c.tsv) u
            UNION ALL SELECT tenant_id, '', 1 FROM added_chunks) x
           GROUP BY tenant_id, lexeme ORDER BY tenant_id, lexeme
          ON CONFLICT (tenant_id, lexeme) DO UPDATE SET df = t.df + EXCLUDED.df;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE FUNCTION kb_terms_removed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE kb_terms t SET df = GREATEST(t.df - r.n, 0)
          FROM (SELECT tenant_id, lexeme, sum(n) AS n FROM (
                  SELECT c.tenant_id, u.lexeme, 1 AS n FROM removed_chunks c, unnest(c.tsv) u
                  UNION ALL SELECT tenant_id, '', 1 FROM removed_chunks) x
                 GROUP BY tenant_id, lexeme ORDER BY tenant_id, lexeme) r
         WHERE t.tenant_id = r.tenant_id AND t.lexeme = r.lexeme;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER kb_terms_added AFTER INSERT ON kb_chunks
      REFERENCING NEW TABLE AS added_chunks FOR EACH STATEMENT EXECUTE FUNCTION kb_terms_added()`);
    await q.query(`CREATE TRIGGER kb_terms_removed AFTER DELETE ON kb_chunks
      REFERENCING OLD TABLE AS removed_chunks FOR EACH STATEMENT EXECUTE FUNCTION kb_terms_removed()`);

    await q.query(`DROP FUNCTION kb_lexical_candidates(tsquery, text, uuid, text[], boolean, int, int)`);
    // p_configs: the configurations to parse the text with. Words the tenant never wrote (df 0)
    // of four letters or more are replaced by their most similar vocabulary word (trigram
    // similarity ≥ p_min_similarity), weighted by that similarity. Candidates come from the words
    // held by at most a fifth of the chunks (or the rarest word when all are common), so a common
    // word cannot fill the pool; every word still scores. BM25: k1 1.2, b 0.75, the average length
    // taken over the candidates, a term's frequency counting 3 in a title, 2 in a heading, 1 in
    // the body; chunks holding every word score p_all_words_boost times more. p_required, when
    // given, must match too: the query's own websearch syntax ("a phrase", -excluded).
    await q.query(LEXICAL_RANKED_V1);
    await q.query(`REVOKE ALL ON FUNCTION kb_lexical_ranked(text, regconfig[], tsquery, text, uuid, text[], boolean, int, int, float8, float8) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION kb_lexical_ranked(text, regconfig[], tsquery, text, uuid, text[], boolean, int, int, float8, float8) TO ${APP_DB_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION IF EXISTS kb_lexical_ranked(text, regconfig[], tsquery, text, uuid, text[], boolean, int, int, float8, float8)`);
    await q.query(`CREATE FUNCTION kb_lexical_candidates(query tsquery, p_locale text, p_category uuid, p_tags text[], p_public_only boolean, p_limit int, p_pool int)
      RETURNS TABLE (id uuid, article_id uuid, r bigint)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $fn$
        SELECT m.id, m.article_id, row_number() OVER (ORDER BY ts_rank_cd(m.tsv, query) DESC, m.id) AS r
          FROM (SELECT c.id, c.article_id, c.tsv
                  FROM kb_chunks c
                 WHERE c.tenant_id = ${CURRENT_TENANT}
                   AND c.tsv @@ query
                   AND (p_locale IS NULL OR c.locale = p_locale)
                   AND (p_category IS NULL OR c.category_id = p_category)
                   AND (p_tags IS NULL OR c.tags @> p_tags)
                   AND (NOT p_public_only OR c.visibility = 'public')
                 LIMIT p_pool) m
         ORDER BY r
         LIMIT p_limit
      $fn$`);
    await q.query(`REVOKE ALL ON FUNCTION kb_lexical_candidates(tsquery, text, uuid, text[], boolean, int, int) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION kb_lexical_candidates(tsquery, text, uuid, text[], boolean, int, int) TO ${APP_DB_ROLE}`);
    await q.query(`DROP TRIGGER IF EXISTS kb_terms_removed ON kb_chunks`);
    await q.query(`DROP TRIGGER IF EXISTS kb_terms_added ON kb_chunks`);
    await q.query(`DROP FUNCTION IF EXISTS kb_terms_removed()`);
    await q.query(`DROP FUNCTION IF EXISTS kb_terms_added()`);
    await q.query(`DROP TABLE IF EXISTS kb_terms`);
  }
}
