import { Injectable } from '@nestjs/common';
import type { TenantTx } from '@switchboard/platform';
import { execute } from '../../repositories/execute';
import { assignmentSql, type AssignmentStateRow, type MemberLoadRow } from './assignment.sql';

export interface AssignmentState {
  groupId: string;
  mode: string | null;
  defaultCapacity: number | null;
  cursor: string | null;
  assignedCount: number;
  version: number;
  updatedAt: string;
}

const toState = (r: AssignmentStateRow): AssignmentState => ({
  groupId: r.group_id,
  mode: r.assignment_policy,
  defaultCapacity: r.default_capacity,
  cursor: r.cursor_user_id,
  assignedCount: Number(r.assigned_count),
  version: r.version,
  updatedAt: new Date(r.updated_at).toISOString(),
});

/** Groups' assignment state and their members' load (SQL in `assignment.sql.ts`). */
@Injectable()
export class AssignmentRepository {
  /** The state of each live group named (created on first use), locked in id order when `lock`. */
  async states(tx: TenantTx, groupIds: readonly string[], opts: { lock: boolean; withPolicyOnly: boolean; ensure?: boolean }): Promise<AssignmentState[]> {
    if (groupIds.length === 0) return [];
    if (opts.ensure !== false) await execute(tx, assignmentSql.ensureState(tx.tenantId, groupIds));
    return (await execute<AssignmentStateRow[]>(tx, assignmentSql.states(tx.tenantId, groupIds, opts.lock, opts.withPolicyOnly))).map(toState);
  }

  async groupsOf(tx: TenantTx, userIds: readonly string[]): Promise<string[]> {
    if (userIds.length === 0) return [];
    return (await execute<{ group_id: string }[]>(tx, assignmentSql.groupsOf(tx.tenantId, userIds))).map((r) => r.group_id);
  }

  members(tx: TenantTx, groupId: string): Promise<MemberLoadRow[]> {
    return execute(tx, assignmentSql.members(tx.tenantId, groupId));
  }

  async lockAgents(tx: TenantTx, userIds: readonly string[]): Promise<void> {
    if (userIds.length > 0) await execute(tx, assignmentSql.lockAgents(tx.tenantId, userIds));
  }

  async waiting(tx: TenantTx, groupId: string, limit: number): Promise<string[]> {
    return (await execute<{ id: string }[]>(tx, assignmentSql.waiting(tx.tenantId, groupId, limit))).map((r) => r.id);
  }

  async waitingCount(tx: TenantTx, groupId: string): Promise<number> {
    const [{ n }] = await execute<{ n: number }[]>(tx, assignmentSql.waitingCount(tx.tenantId, groupId));
    return n;
  }

  async advanceCursor(tx: TenantTx, groupId: string, userId: string, assigned: number): Promise<void> {
    await execute(tx, assignmentSql.advanceCursor(tx.tenantId, groupId, userId, assigned));
  }

  async setDefaultCapacity(tx: TenantTx, groupId: string, capacity: number | null): Promise<void> {
    await execute(tx, assignmentSql.setDefaultCapacity(tx.tenantId, groupId, capacity));
  }

  async bumpVersion(tx: TenantTx, groupId: string): Promise<void> {
    await execute(tx, assignmentSql.bumpVersion(tx.tenantId, groupId));
  }

  async setMemberCapacity(tx: TenantTx, groupId: string, userId: string, capacity: number | null): Promise<boolean> {
    return (await execute<unknown[]>(tx, assignmentSql.setMemberCapacity(tx.tenantId, groupId, userId, capacity))).length > 0;
  }
}
