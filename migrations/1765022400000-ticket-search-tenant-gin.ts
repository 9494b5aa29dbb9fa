import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The ticket and message full-text indexes lead with the tenant (`btree_gin`): a search reads the
 * posting list of its own tenant's rows only, not every tenant's. And, as the knowledge base's
 * (KbSearchCost), without GIN's pending list (`fastupdate = off`): every search scanned that list
 * linearly, up to `gin_pending_list_limit` (4 MB) of recent rows, until a vacuum merged it; a
 * ticket or message insert pays the index update instead, once.
 */
export class TicketSearchTenantGin1765022400000 implements MigrationInterface {
  name = 'TicketSearchTenantGin1765022400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS btree_gin`);
    await q.query(`CREATE INDEX tickets_tenant_search ON tickets USING gin (tenant_id, search) WITH (fastupdate = off)`);
    await q.query(`DROP INDEX IF EXISTS tickets_search`);
    await q.query(`CREATE INDEX ticket_messages_tenant_search ON ticket_messages USING gin (tenant_id, search) WITH (fastupdate = off)`);
    await q.query(`DROP INDEX IF EXISTS ticket_messages_search`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX ticket_messages_search ON ticket_messages USING gin (search)`);
    await q.query(`DROP INDEX IF EXISTS ticket_messages_tenant_search`);
    await q.query(`CREATE INDEX tickets_search ON tickets USING gin (search)`);
    await q.query(`DROP INDEX IF EXISTS tickets_tenant_search`);
  }
}
