import type { Statement } from '@switchboard/platform';
import { LOAD_STATUSES } from '../domain/assignment-policy';

const LOAD = `ARRAY[${LOAD_STATUSES.map((s) => `'${s}'`).join(', ')}]`;

export interface AssignmentStateRow {
  group_id: string;
  assignment_policy: string | null;
  default_capacity: number | null;
  cursor_user_id: string | null;
  assigned_count: string | number;
  version: number;
  updated_at: Date;
}

export interface MemberLoadRow {
  user_id: string;
  capacity: number | null;
  load: number;
}

export const assignmentSql = {
  /** Makes sure a live group has its state row (the row assignments lock). */
  ensureState: (tenantId: string, groupIds: readonly string[]): Statement => ({
    sql: `INSERT INTO ticket_group_assignment (tenant_id, group_id)
          SELECT g.tenant_id, g.id FROM ticket_groups g WHERE g.tenant_id = $1 AND g.id = ANY($2::uuid[]) AND g.deleted_at IS NULL
          ON CONFLICT DO NOTHING`,
    params: [tenantId, groupIds],
  }),

  /**
   * The state rows of live groups with a policy, locked in id order (so two transactions locking
   * overlapping sets never wait on each other in a cycle). `lock` false reads without locking.
   */
  states: (tenantId: string, groupIds: readonly string[], lock: boolean, withPolicyOnly: boolean): Statement => ({
    sql: `SELECT s.group_id, g.assignment_policy, s.default_capacity, s.cursor_user_id, s.assigned_count, s.version, s.updated_at
          FROM ticket_group_assignment s JOIN ticket_groups g ON g.tenant_id = s.tenant_id AND g.id = s.group_id
          WHERE s.tenant_id = $1 AND s.group_id = ANY($2::uuid[]) AND g.deleted_at IS NULL${withPolicyOnly ? ' AND g.assignment_policy IS NOT NULL' : ''}
          ORDER BY s.group_id${lock ? ' FOR UPDATE OF s' : ''}`,
    params: [tenantId, groupIds],
  }),

  /** Live groups with a policy that this user is a member of. */
  groupsOf: (tenantId: string, userIds: readonly string[]): Statement => ({
    sql: `SELECT DISTINCT m.group_id FROM ticket_group_members m JOIN ticket_groups g ON g.tenant_id = m.tenant_id AND g.id = m.group_id
          WHERE m.tenant_id = $1 AND m.user_id = ANY($2::uuid[]) AND g.deleted_at IS NULL AND g.assignment_policy IS NOT NULL`,
    params: [tenantId, userIds],
  }),

  /** A group's members in their stable order, each with their own capacity and their load across the tenant. */
  members: (tenantId: string, groupId: string): Statement => ({
    sql: `SELECT m.user_id, m.capacity,
                 (SELECT count(*)::int FROM tickets t WHERE t.tenant_id = m.tenant_id AND t.assignee_id = m.user_id AND t.deleted_at IS NULL AND t.status = ANY(${LOAD})) AS load
          FROM ticket_group_members m WHERE m.tenant_id = $1 AND m.group_id = $2 ORDER BY m.created_at, m.user_id`,
    params: [tenantId, groupId],
  }),

  /**
   * Serialises assignments to these agents across groups (an agent's load counts every group):
   * transaction-scoped advisory locks, taken in a fixed order after the group rows.
   */
  lockAgents: (tenantId: string, userIds: readonly string[]): Statement => ({
    sql: `SELECT count(pg_advisory_xact_lock(hashtextextended('assignment:' || $1 || ':' || u, 0))) FROM (SELECT unnest($2::text[]) AS u ORDER BY 1) agents`,
    params: [tenantId, [...userIds].sort()],
  }),

  /** Unassigned new and open tickets of the group, priority then age; rows another transaction holds are skipped (it will queue them again). */
  waiting: (tenantId: string, groupId: string, limit: number): Statement => ({
    sql: `SELECT id FROM tickets
          WHERE tenant_id = $1 AND group_id = $2 AND assignee_id IS NULL AND deleted_at IS NULL AND status = ANY(${LOAD})
          ORDER BY CASE priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END, created_at, id
          LIMIT $3 FOR UPDATE SKIP LOCKED`,
    params: [tenantId, groupId, limit],
  }),

  /** How many tickets wait in the group (for the overview). */
  waitingCount: (tenantId: string, groupId: string): Statement => ({
    sql: `SELECT count(*)::int AS n FROM tickets WHERE tenant_id = $1 AND group_id = $2 AND assignee_id IS NULL AND deleted_at IS NULL AND status = ANY(${LOAD})`,
    params: [tenantId, groupId],
  }),

  advanceCursor: (tenantId: string, groupId: string, userId: string, assigned: number): Statement => ({
    sql: `UPDATE ticket_group_assignment SET cursor_user_id = $3, assigned_count = assigned_count + $4, updated_at = now() WHERE tenant_id = $1 AND group_id = $2`,
    params: [tenantId, groupId, userId, assigned],
  }),

  setDefaultCapacity: (tenantId: string, groupId: string, capacity: number | null): Statement => ({
    sql: `UPDATE ticket_group_assignment SET default_capacity = $3 WHERE tenant_id = $1 AND group_id = $2`,
    params: [tenantId, groupId, capacity],
  }),

  bumpVersion: (tenantId: string, groupId: string): Statement => ({
    sql: `UPDATE ticket_group_assignment SET updated_at = now(), version = version + 1 WHERE tenant_id = $1 AND group_id = $2`,
    params: [tenantId, groupId],
  }),

  /** Answers the members whose capacity was set (non-members are not touched). */
  setMemberCapacity: (tenantId: string, groupId: string, userId: string, capacity: number | null): Statement => ({
    sql: `WITH u AS (UPDATE ticket_group_members SET capacity = $4 WHERE tenant_id = $1 AND group_id = $2 AND user_id = $3 RETURNING user_id) SELECT user_id FROM u`,
    params: [tenantId, groupId, userId, capacity],
  }),
};
