import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_DB_ROLE } from '../libs/platform/src/database/data-source-options';
import { CURRENT_TENANT } from '../libs/platform/src/database/migration-helpers';

/**
 * Knowledge-base search made cheap enough for one embedded database session (ADR 0012):
 *
 * - The full-text GIN index without a pending list. With `fastupdate` every insert lands in an
 *   unsorted list that each search scans linearly until a VACUUM merges it, and the embedded
 *   database runs no autovacuum: after indexing, searches read up to 4 MB of it every time.
 * - `kb_lexical_candidates` ranks at most `p_pool` matches (the first the index yields) instead of
 *   every match: a two-word question can match a tenth of the knowledge base.
 * - `kb_tsquery_or`, an OR aggregate, so the search statement builds the query for every language
 *   the tenant writes in by itself instead of asking for the languages first.
 */
export class KbSearchCost1763834400000 implements MigrationInterface {
  name = 'KbSearchCost1763834400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER INDEX kb_chunks_tsv SET (fastupdate = off)`);
    await q.query(`SELECT gin_clean_pending_list('kb_chunks_tsv'::regclass)`);

    await q.query(`DROP FUNCTION kb_lexical_candidates(tsquery, text, uuid, text[], boolean, int)`);
    // Same contract as before (see the knowledge-base migration: SECURITY DEFINER so the GIN index
    // serves `@@` under row-level security, with the policy's own tenant predicate), plus the cap.
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

    await q.query(`CREATE AGGREGATE kb_tsquery_or(tsquery) (SFUNC = tsquery_or, STYPE = tsquery)`);
    await q.query(`GRANT EXECUTE ON FUNCTION kb_tsquery_or(tsquery) TO ${APP_DB_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP AGGREGATE kb_tsquery_or(tsquery)`);
    await q.query(`DROP FUNCTION kb_lexical_candidates(tsquery, text, uuid, text[], boolean, int, int)`);
    await q.query(`CREATE FUNCTION kb_lexical_candidates(query tsquery, p_locale text, p_category uuid, p_tags text[], p_public_only boolean, p_limit int)
      RETURNS TABLE (id uuid, article_id uuid, r bigint)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $fn$
        SELECT c.id, c.article_id, row_number() OVER (ORDER BY ts_rank_cd(c.tsv, query) DESC, c.id) AS r
          FROM kb_chunks c
         WHERE c.tenant_id = ${CURRENT_TENANT}
           AND c.tsv @@ query
           AND (p_locale IS NULL OR c.locale = p_locale)
           AND (p_category IS NULL OR c.category_id = p_category)
           AND (p_tags IS NULL OR c.tags @> p_tags)
           AND (NOT p_public_only OR c.visibility = 'public')
         ORDER BY r
         LIMIT p_limit
      $fn$`);
    await q.query(`REVOKE ALL ON FUNCTION kb_lexical_candidates(tsquery, text, uuid, text[], boolean, int) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION kb_lexical_candidates(tsquery, text, uuid, text[], boolean, int) TO ${APP_DB_ROLE}`);
    await q.query(`ALTER INDEX kb_chunks_tsv SET (fastupdate = on)`);
  }
}
