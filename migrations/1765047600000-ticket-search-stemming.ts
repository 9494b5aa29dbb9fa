import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Ticket search finds word forms: subjects and messages are indexed with both the `simple`
 * configuration (every word as written: names, codes, any language) and the `english` one (stems
 * without stop words), so "radiators" finds "radiator". A query matches when either reading of
 * it does (ticketSql.list). PostgreSQL 15 cannot change a generated column's expression, so the
 * columns and their tenant-leading GIN indexes are rebuilt.
 */
export class TicketSearchStemming1765047600000 implements MigrationInterface {
  name = 'TicketSearchStemming1765047600000';

  async up(q: QueryRunner): Promise<void> {
    await this.rebuild(q, `to_tsvector('simple', subject) || to_tsvector('english', subject)`, `to_tsvector('simple', body) || to_tsvector('english', body)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await this.rebuild(q, `to_tsvector('simple', subject)`, `to_tsvector('simple', body)`);
  }

  private async rebuild(q: QueryRunner, subject: string, body: string): Promise<void> {
    await q.query(`ALTER TABLE tickets DROP COLUMN search`);
    await q.query(`ALTER TABLE tickets ADD COLUMN search tsvector GENERATED ALWAYS AS (${subject}) STORED`);
    await q.query(`CREATE INDEX tickets_tenant_search ON tickets USING gin (tenant_id, search) WITH (fastupdate = off)`);
    await q.query(`ALTER TABLE ticket_messages DROP COLUMN search`);
    await q.query(`ALTER TABLE ticket_messages ADD COLUMN search tsvector GENERATED ALWAYS AS (${body}) STORED`);
    await q.query(`CREATE INDEX ticket_messages_tenant_search ON ticket_messages USING gin (tenant_id, search) WITH (fastupdate = off)`);
  }
}
