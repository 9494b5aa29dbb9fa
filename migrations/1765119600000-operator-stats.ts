import type { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantRls } from '../libs/platform/src/database/migration-helpers';

/**
 * What `GET /v1/admin/stats` reads instead of scanning (docs/adr/0050-operator-statistics.md):
 * - indexes on the UTC day of `created_at` (carrying `created_at`) on tickets and messages, so the
 *   daily activity of the last 30 days is an index-only range scan over those days, whatever the
 *   tenant count or the history's length. Keyed on the day, not on `created_at` itself: a plain
 *   `created_at` index would tempt the planner away from the tenant-leading indexes on tenant
 *   queries that order by `created_at` (the tickets-plans test shows it);
 * - a (month, cost) index on the AI month rollup, for the month's top spenders;
 * - per-tenant attachment totals kept by statement-level triggers on `ticket_attachments`, in the
 *   transaction that adds or removes files (every path: uploads, ticket deletion, erasure, purge).
 * A delete only lowers an existing total: the tenant purge may delete the totals row first.
 */
export class OperatorStats1765119600000 implements MigrationInterface {
  name = 'OperatorStats1765119600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX tickets_created_day ON tickets (((created_at AT TIME ZONE 'UTC')::date)) INCLUDE (created_at)`);
    await q.query(`CREATE INDEX ticket_messages_created_day ON ticket_messages (((created_at AT TIME ZONE 'UTC')::date)) INCLUDE (created_at)`);
    await q.query(`CREATE INDEX ai_usage_months_month_cost ON ai_usage_months (month, cost_micros DESC)`);

    await q.query(`CREATE TABLE ticket_attachment_usage (
      tenant_id uuid NOT NULL PRIMARY KEY,
      files bigint NOT NULL DEFAULT 0 CHECK (files >= 0),
      bytes bigint NOT NULL DEFAULT 0 CHECK (bytes >= 0),
      updated_at timestamptz(3) NOT NULL DEFAULT now()
    )`);
    await enableTenantRls(q, 'ticket_attachment_usage', ['SELECT', 'INSERT', 'UPDATE']);
    await q.query(`INSERT INTO ticket_attachment_usage (tenant_id, files, bytes)
      SELECT tenant_id, count(*), sum(size) FROM ticket_attachments GROUP BY tenant_id`);

    await q.query(`CREATE FUNCTION ticket_attachment_usage_added() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO ticket_attachment_usage AS u (tenant_id, files, bytes)
          SELECT tenant_id, count(*), sum(size) FROM added_attachments GROUP BY tenant_id
          ON CONFLICT (tenant_id) DO UPDATE SET files = u.files + EXCLUDED.files, bytes = u.bytes + EXCLUDED.bytes, updated_at = now();
        RETURN NULL;
      END $$`);
    await q.query(`CREATE FUNCTION ticket_attachment_usage_removed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE ticket_attachment_usage u
           SET files = GREATEST(u.files - r.files, 0), bytes = GREATEST(u.bytes - r.bytes, 0), updated_at = now()
          FROM (SELECT tenant_id, count(*) AS files, sum(size) AS bytes FROM removed_attachments GROUP BY tenant_id) r
         WHERE u.tenant_id = r.tenant_id;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER ticket_attachment_usage_added AFTER INSERT ON ticket_attachments
      REFERENCING NEW TABLE AS added_attachments FOR EACH STATEMENT EXECUTE FUNCTION ticket_attachment_usage_added()`);
    await q.query(`CREATE TRIGGER ticket_attachment_usage_removed AFTER DELETE ON ticket_attachments
      REFERENCING OLD TABLE AS removed_attachments FOR EACH STATEMENT EXECUTE FUNCTION ticket_attachment_usage_removed()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER IF EXISTS ticket_attachment_usage_removed ON ticket_attachments`);
    await q.query(`DROP TRIGGER IF EXISTS ticket_attachment_usage_added ON ticket_attachments`);
    await q.query(`DROP FUNCTION IF EXISTS ticket_attachment_usage_removed()`);
    await q.query(`DROP FUNCTION IF EXISTS ticket_attachment_usage_added()`);
    await q.query(`DROP TABLE IF EXISTS ticket_attachment_usage`);
    await q.query(`DROP INDEX IF EXISTS ai_usage_months_month_cost`);
    await q.query(`DROP INDEX IF EXISTS ticket_messages_created_day`);
    await q.query(`DROP INDEX IF EXISTS tickets_created_day`);
  }
}
