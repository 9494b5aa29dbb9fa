import { Injectable } from '@nestjs/common';
import type { TenantTx } from '@switchboard/platform';
import { execute } from './execute';
import { groupsSql, toGroupView, type GroupFields, type GroupMemberView, type GroupRow, type GroupView } from './groups.sql';

/** Ticket groups and their members (SQL in `groups.sql.ts`); every method runs in the handler's transaction. */
@Injectable()
export class GroupsRepository {
  async find(tx: TenantTx, id: string, opts: { lock?: boolean; live?: boolean } = {}): Promise<GroupView | undefined> {
    const [row] = await execute<GroupRow[]>(tx, groupsSql.find(tx.tenantId, id, opts));
    return row ? toGroupView(row) : undefined;
  }

  async insert(tx: TenantTx, fields: GroupFields): Promise<GroupView> {
    const [row] = await execute<GroupRow[]>(tx, groupsSql.insert(tx.tenantId, fields));
    return toGroupView(row);
  }

  async update(tx: TenantTx, id: string, fields: GroupFields): Promise<GroupView> {
    await execute(tx, groupsSql.update(tx.tenantId, id, fields));
    return (await this.find(tx, id))!;
  }

  async softDelete(tx: TenantTx, id: string): Promise<void> {
    await execute(tx, groupsSql.softDelete(tx.tenantId, id));
  }

  async list(tx: TenantTx, page: { limit: number; after?: [string, string]; memberId?: string }): Promise<GroupView[]> {
    return (await execute<GroupRow[]>(tx, groupsSql.list(tx.tenantId, page))).map(toGroupView);
  }

  names(tx: TenantTx, limit: number): Promise<{ id: string; name: string; description: string | null }[]> {
    return execute(tx, groupsSql.names(tx.tenantId, limit));
  }

  async nameTaken(tx: TenantTx, name: string, exceptId: string | null): Promise<boolean> {
    return (await execute<unknown[]>(tx, groupsSql.nameTaken(tx.tenantId, name, exceptId))).length > 0;
  }

  async unsolvedTickets(tx: TenantTx, groupId: string): Promise<number> {
    const [{ n }] = await execute<{ n: number }[]>(tx, groupsSql.unsolvedTickets(tx.tenantId, groupId));
    return n;
  }

  /** True when the user was not a member yet. */
  async addMember(tx: TenantTx, groupId: string, userId: string): Promise<boolean> {
    return (await execute<unknown[]>(tx, groupsSql.addMember(tx.tenantId, groupId, userId))).length > 0;
  }

  /** True when the user was a member. */
  async removeMember(tx: TenantTx, groupId: string, userId: string): Promise<boolean> {
    return (await execute<unknown[]>(tx, groupsSql.removeMember(tx.tenantId, groupId, userId))).length > 0;
  }

  async removeFromAll(tx: TenantTx, userId: string): Promise<string[]> {
    return (await execute<{ group_id: string }[]>(tx, groupsSql.removeFromAll(tx.tenantId, userId))).map((r) => r.group_id);
  }

  /** Group id → its members' user ids, for every live group, in one read. */
  async allMembers(tx: TenantTx): Promise<Map<string, string[]>> {
    const byGroup = new Map<string, string[]>();
    for (const r of await execute<{ group_id: string; user_id: string }[]>(tx, groupsSql.allMembers(tx.tenantId))) byGroup.set(r.group_id, [...(byGroup.get(r.group_id) ?? []), r.user_id]);
    return byGroup;
  }

  async isMember(tx: TenantTx, groupId: string, userId: string): Promise<boolean> {
    return (await execute<unknown[]>(tx, groupsSql.isMember(tx.tenantId, groupId, userId))).length > 0;
  }

  async members(tx: TenantTx, groupId: string, page: { limit: number; after?: [string, string] }): Promise<GroupMemberView[]> {
    const rows = await execute<{ user_id: string; created_at: Date }[]>(tx, groupsSql.members(tx.tenantId, groupId, page));
    return rows.map((r) => ({ userId: r.user_id, addedAt: new Date(r.created_at).toISOString() }));
  }
}
