import type { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantRls } from '../libs/platform/src/database/migration-helpers';

/**
 * Ticket groups (queues of work): a profile — business calendar and SLA policy references (the
 * SLA engine reads them), which AI assists the group's tickets may use, an email signature, the
 * default assignment policy's name — and members. Groups are soft-deleted: tickets and history
 * keep naming them. `tickets.group_id` has no foreign key on purpose: the tenant purge deletes
 * tables in name order, and the commands check the reference (a live group of this tenant).
 */
export class TicketGroups1765062000000 implements MigrationInterface {
  name = 'TicketGroups1765062000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE ticket_groups (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
      description text CHECK (char_length(description) <= 2000),
      business_calendar_id uuid,
      sla_policy_id uuid,
      ai_summary boolean NOT NULL DEFAULT true,
      ai_draft boolean NOT NULL DEFAULT true,
      ai_triage boolean NOT NULL DEFAULT true,
      email_signature text CHECK (char_length(email_signature) <= 5000),
      assignment_policy text CHECK (char_length(assignment_policy) BETWEEN 1 AND 60),
      deleted_at timestamptz,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      version int NOT NULL DEFAULT 1,
      PRIMARY KEY (tenant_id, id)
    )`);
    // One live group per name (case-insensitive) in a tenant.
    await q.query(`CREATE UNIQUE INDEX ticket_groups_name ON ticket_groups (tenant_id, lower(name)) WHERE deleted_at IS NULL`);
    await enableTenantRls(q, 'ticket_groups');

    await q.query(`CREATE TABLE ticket_group_members (
      tenant_id uuid NOT NULL,
      group_id uuid NOT NULL,
      user_id uuid NOT NULL,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, group_id, user_id),
      FOREIGN KEY (tenant_id, group_id) REFERENCES ticket_groups (tenant_id, id) ON DELETE CASCADE
    )`);
    await q.query(`CREATE INDEX ticket_group_members_user ON ticket_group_members (tenant_id, user_id)`);
    await enableTenantRls(q, 'ticket_group_members');

    await q.query(`ALTER TABLE tickets ADD COLUMN group_id uuid`);
    await q.query(`CREATE INDEX tickets_group ON tickets (tenant_id, group_id, created_at, id) WHERE group_id IS NOT NULL AND deleted_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS tickets_group`);
    await q.query(`ALTER TABLE tickets DROP COLUMN IF EXISTS group_id`);
    await q.query(`DROP TABLE IF EXISTS ticket_group_members`);
    await q.query(`DROP TABLE IF EXISTS ticket_groups`);
  }
}
