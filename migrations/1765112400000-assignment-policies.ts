import type { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantRls } from '../libs/platform/src/database/migration-helpers';

/**
 * Assignment policies per group. The mode stays in `ticket_groups.assignment_policy` (now one of
 * round_robin / least_loaded, NULL for none: the free-form names it held before did nothing and are
 * cleared). A group's assignment state row holds the default capacity and the round-robin cursor,
 * and is the row an assignment locks (`FOR UPDATE`) so that concurrent assignments in one group
 * take turns. A member's own capacity overrides the group's.
 */
export class AssignmentPolicies1765112400000 implements MigrationInterface {
  name = 'AssignmentPolicies1765112400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE ticket_groups SET assignment_policy = NULL WHERE assignment_policy NOT IN ('round_robin', 'least_loaded')`);
    await q.query(`ALTER TABLE ticket_groups ADD CONSTRAINT ticket_groups_assignment_policy CHECK (assignment_policy IN ('round_robin', 'least_loaded'))`);
    await q.query(`CREATE TABLE ticket_group_assignment (
      tenant_id uuid NOT NULL,
      group_id uuid NOT NULL,
      default_capacity int CHECK (default_capacity BETWEEN 0 AND 1000),
      cursor_user_id uuid,
      assigned_count bigint NOT NULL DEFAULT 0,
      updated_at timestamptz NOT NULL DEFAULT now(),
      version int NOT NULL DEFAULT 1,
      PRIMARY KEY (tenant_id, group_id),
      FOREIGN KEY (tenant_id, group_id) REFERENCES ticket_groups (tenant_id, id) ON DELETE CASCADE
    )`);
    await enableTenantRls(q, 'ticket_group_assignment');
    await q.query(`ALTER TABLE ticket_group_members ADD COLUMN capacity int CHECK (capacity BETWEEN 0 AND 1000)`);
    // Load per agent (their new and open tickets) and the group's waiting queue are read on every assignment.
    await q.query(`CREATE INDEX tickets_assignee_load ON tickets (tenant_id, assignee_id) WHERE assignee_id IS NOT NULL AND deleted_at IS NULL AND status IN ('new', 'open')`);
    await q.query(`CREATE INDEX tickets_group_waiting ON tickets (tenant_id, group_id, created_at, id) WHERE assignee_id IS NULL AND deleted_at IS NULL AND status IN ('new', 'open')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS tickets_group_waiting`);
    await q.query(`DROP INDEX IF EXISTS tickets_assignee_load`);
    await q.query(`ALTER TABLE ticket_group_members DROP COLUMN IF EXISTS capacity`);
    await q.query(`DROP TABLE IF EXISTS ticket_group_assignment`);
    await q.query(`ALTER TABLE ticket_groups DROP CONSTRAINT IF EXISTS ticket_groups_assignment_policy`);
  }
}
