import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_DB_ROLE } from '../libs/platform/src/database/data-source-options';
import { CURRENT_TENANT } from '../libs/platform/src/database/migration-helpers';

/**
 * Ticket full-text search under row-level security. `@@` is not leakproof, so under the policy
 * PostgreSQL may only apply it after the tenant filter: the GIN indexes on `tickets.search` and
 * `ticket_messages.search` went unused and a search walked the tenant's tickets in list order,
 * testing each. As the knowledge base does (kb_lexical_candidates), this function runs as the
 * table owner and applies the policy's own predicate (the tenant pinned by the transaction, no
 * rows when none is), so both indexes serve the search; the list query joins its ids back to
 * `tickets` under the policy, which stays the wall. A term so frequent that sorting its matches
 * would cost more than walking the list is searched by the walk (see ticketSql.list).
 */
export class TicketSearchCandidates1765015200000 implements MigrationInterface {
  name = 'TicketSearchCandidates1765015200000';

  async up(q: QueryRunner): Promise<void> {
    // At most p_limit ids from each source (subjects, messages), duplicates possible: the caller
    // dedupes. The limits let a frequent term stop early; the caller reads "p_limit from one
    // source" as "too many to sort, walk the list instead".
    await q.query(`CREATE FUNCTION ticket_search_candidates(query tsquery, p_limit int)
      RETURNS TABLE (id uuid)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public ROWS 200 AS $fn$
        (SELECT t.id FROM tickets t WHERE t.tenant_id = ${CURRENT_TENANT} AND t.search @@ query LIMIT p_limit)
        UNION ALL
        (SELECT m.ticket_id FROM ticket_messages m WHERE m.tenant_id = ${CURRENT_TENANT} AND m.search @@ query LIMIT p_limit)
      $fn$`);
    await q.query(`REVOKE ALL ON FUNCTION ticket_search_candidates(tsquery, int) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION ticket_search_candidates(tsquery, int) TO ${APP_DB_ROLE}`);
    // Every ticket with a matching message, through the messages' GIN index: what the list walk of
    // a frequent term checks each ticket against (else it would read all the tenant's messages).
    await q.query(`CREATE FUNCTION ticket_message_matches(query tsquery)
      RETURNS TABLE (ticket_id uuid)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public ROWS 1000 AS $fn$
        SELECT m.ticket_id FROM ticket_messages m WHERE m.tenant_id = ${CURRENT_TENANT} AND m.search @@ query
      $fn$`);
    await q.query(`REVOKE ALL ON FUNCTION ticket_message_matches(tsquery) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION ticket_message_matches(tsquery) TO ${APP_DB_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION IF EXISTS ticket_message_matches(tsquery)`);
    await q.query(`DROP FUNCTION IF EXISTS ticket_search_candidates(tsquery, int)`);
  }
}
