import type { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantRls } from '../libs/platform/src/database/migration-helpers';

/**
 * Custom ticket statuses: a tenant's own names ("Waiting on vendor", "Parts ordered") each mapped
 * onto one of the six base categories the lifecycle, SLAs and reports work on (`tickets.status`
 * keeps the category). `tickets.custom_status_id` is null for a category's default status; like
 * `group_id` it has no foreign key (the tenant purge deletes tables in name order; the commands
 * check the reference).
 */
export class TicketStatuses1765094400000 implements MigrationInterface {
  name = 'TicketStatuses1765094400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE ticket_statuses (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      category text NOT NULL CHECK (category IN ('new', 'open', 'pending', 'on_hold', 'solved', 'closed')),
      agent_label text NOT NULL CHECK (char_length(agent_label) BETWEEN 1 AND 60),
      end_user_label text CHECK (char_length(end_user_label) BETWEEN 1 AND 60),
      description text CHECK (char_length(description) <= 500),
      active boolean NOT NULL DEFAULT true,
      position int NOT NULL DEFAULT 0,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      version int NOT NULL DEFAULT 1,
      PRIMARY KEY (tenant_id, id)
    )`);
    await q.query(`CREATE UNIQUE INDEX ticket_statuses_label ON ticket_statuses (tenant_id, lower(agent_label))`);
    await enableTenantRls(q, 'ticket_statuses');
    await q.query(`ALTER TABLE tickets ADD COLUMN custom_status_id uuid`);
    await q.query(`CREATE INDEX tickets_custom_status ON tickets (tenant_id, custom_status_id) WHERE custom_status_id IS NOT NULL AND deleted_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS tickets_custom_status`);
    await q.query(`ALTER TABLE tickets DROP COLUMN IF EXISTS custom_status_id`);
    await q.query(`DROP TABLE IF EXISTS ticket_statuses`);
  }
}
