import { Injectable } from '@nestjs/common';
import type { TenantTx } from '@switchboard/platform';
import { COUNT_CAP } from '../domain/views';
import { execute } from './execute';
import type { TicketConditionFilter } from './tickets.sql';
import { toViewView, viewsSql, type ViewFields, type ViewRow, type ViewView, type ViewViewer } from './views.sql';

export interface ViewCount {
  count: number;
  /** The view holds more than COUNT_CAP tickets; `count` is the cap. */
  capped: boolean;
}

/** Saved views (SQL in `views.sql.ts`) and their ticket counts; every method runs in the handler's transaction. */
@Injectable()
export class ViewsRepository {
  async find(tx: TenantTx, id: string, lock = false): Promise<ViewView | undefined> {
    const [row] = await execute<ViewRow[]>(tx, viewsSql.find(tx.tenantId, id, lock));
    return row ? toViewView(row) : undefined;
  }

  async insert(tx: TenantTx, fields: ViewFields, createdBy: string | null): Promise<ViewView> {
    const [row] = await execute<ViewRow[]>(tx, viewsSql.insert(tx.tenantId, fields, createdBy));
    return toViewView(row);
  }

  async update(tx: TenantTx, id: string, fields: ViewFields): Promise<ViewView> {
    await execute(tx, viewsSql.update(tx.tenantId, id, fields));
    return (await this.find(tx, id))!;
  }

  async delete(tx: TenantTx, id: string): Promise<void> {
    await execute(tx, viewsSql.delete(tx.tenantId, id));
  }

  async visible(tx: TenantTx, viewer: ViewViewer, ids?: string[]): Promise<ViewView[]> {
    return (await execute<ViewRow[]>(tx, viewsSql.visible(tx.tenantId, viewer, ids))).map(toViewView);
  }

  /** How many views this owner has (null: the tenant's group and shared views). */
  async countOwned(tx: TenantTx, ownerId: string | null): Promise<number> {
    const [{ n }] = await execute<{ n: number }[]>(tx, viewsSql.countOwned(tx.tenantId, ownerId));
    return n;
  }

  /** The groups a member works in. */
  async groupsOf(tx: TenantTx, userId: string): Promise<string[]> {
    const rows = await execute<{ group_id: string }[]>(tx, {
      sql: `SELECT m.group_id FROM ticket_group_members m JOIN ticket_groups g ON g.tenant_id = m.tenant_id AND g.id = m.group_id
            WHERE m.tenant_id = $1 AND m.user_id = $2 AND g.deleted_at IS NULL`,
      params: [tx.tenantId, userId],
    });
    return rows.map((r) => r.group_id);
  }

  /**
   * Counts of several views in one statement: one bounded subquery per view, each reading the
   * tickets through the index its conditions hit and stopping at COUNT_CAP + 1 rows.
   */
  async count(tx: TenantTx, filters: TicketConditionFilter[]): Promise<ViewCount[]> {
    if (filters.length === 0) return [];
    const [row] = await execute<Record<string, number>[]>(tx, viewsSql.counts(tx.tenantId, filters, COUNT_CAP));
    return filters.map((_, i) => ({ count: Math.min(row[`c${i}`], COUNT_CAP), capped: row[`c${i}`] > COUNT_CAP }));
  }
}
