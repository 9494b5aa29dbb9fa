import type { Statement } from '@switchboard/platform';
import type { ViewFilter, ViewScope, ViewSort } from '../domain/views';
import { ticketConditions, type TicketConditionFilter } from './tickets.sql';

export interface ViewRow {
  id: string;
  name: string;
  scope: ViewScope;
  owner_id: string | null;
  group_id: string | null;
  filter: ViewFilter;
  sort: ViewSort;
  sort_order: 'asc' | 'desc';
  position: number;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
  version: number;
}

/** What a view holds; a command sets all of them at once. */
export interface ViewFields {
  name: string;
  scope: ViewScope;
  ownerId: string | null;
  groupId: string | null;
  filter: ViewFilter;
  sort: ViewSort;
  order: 'asc' | 'desc';
  position: number;
}

export interface ViewView extends ViewFields {
  id: string;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** Who is looking: their own views, their groups' views and shared ones; configurers see every group's. */
export interface ViewViewer {
  userId: string | null;
  groupIds: string[];
  seesAllGroups: boolean;
}

const COLUMNS = 'id, name, scope, owner_id, group_id, filter, sort, sort_order, position, created_by, created_at, updated_at, version';

export const toViewView = (r: ViewRow): ViewView => ({
  id: r.id,
  name: r.name,
  scope: r.scope,
  ownerId: r.owner_id,
  groupId: r.group_id,
  filter: r.filter,
  sort: r.sort,
  order: r.sort_order,
  position: r.position,
  createdBy: r.created_by,
  createdAt: new Date(r.created_at).toISOString(),
  updatedAt: new Date(r.updated_at).toISOString(),
  version: r.version,
});

const visibleTo = (viewer: ViewViewer, bind: (v: unknown) => string): string =>
  `(scope = 'shared' OR (scope = 'personal' AND owner_id = ${bind(viewer.userId)}::uuid) OR (scope = 'group' AND (${viewer.seesAllGroups ? 'true' : `group_id = ANY(${bind(viewer.groupIds)}::uuid[])`})))`;

export const viewsSql = {
  find: (tenantId: string, id: string, lock = false): Statement => ({
    sql: `SELECT ${COLUMNS} FROM ticket_views WHERE tenant_id = $1 AND id = $2${lock ? ' FOR UPDATE' : ''}`,
    params: [tenantId, id],
  }),

  insert: (tenantId: string, f: ViewFields, createdBy: string | null): Statement => ({
    sql: `INSERT INTO ticket_views (tenant_id, name, scope, owner_id, group_id, filter, sort, sort_order, position, created_by)
          VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10) RETURNING ${COLUMNS}`,
    params: [tenantId, f.name, f.scope, f.ownerId, f.groupId, JSON.stringify(f.filter), f.sort, f.order, f.position, createdBy],
  }),

  update: (tenantId: string, id: string, f: ViewFields): Statement => ({
    sql: `UPDATE ticket_views SET name = $3, scope = $4, owner_id = $5, group_id = $6, filter = $7::jsonb, sort = $8, sort_order = $9, position = $10,
            updated_at = now(), version = version + 1
          WHERE tenant_id = $1 AND id = $2`,
    params: [tenantId, id, f.name, f.scope, f.ownerId, f.groupId, JSON.stringify(f.filter), f.sort, f.order, f.position],
  }),

  delete: (tenantId: string, id: string): Statement => ({
    sql: `DELETE FROM ticket_views WHERE tenant_id = $1 AND id = $2`,
    params: [tenantId, id],
  }),

  /** Every view the viewer sees, in sidebar order (a tenant has tens of views, not thousands: no paging). */
  visible: (tenantId: string, viewer: ViewViewer, ids?: string[]): Statement => {
    const params: unknown[] = [tenantId];
    const bind = (v: unknown) => `$${params.push(v)}`;
    const only = ids ? ` AND id = ANY(${bind(ids)}::uuid[])` : '';
    return {
      sql: `SELECT ${COLUMNS} FROM ticket_views WHERE tenant_id = $1 AND ${visibleTo(viewer, bind)}${only}
            ORDER BY position, lower(name), id LIMIT 500`,
      params,
    };
  },

  countOwned: (tenantId: string, ownerId: string | null): Statement => ({
    sql: `SELECT count(*)::int AS n FROM ticket_views WHERE tenant_id = $1 AND owner_id IS NOT DISTINCT FROM $2::uuid`,
    params: [tenantId, ownerId],
  }),

  /**
   * Counts of several views in one statement (columns c0, c1, …): one bounded subquery per view,
   * each reading the tickets through the index its conditions hit and stopping at cap + 1 rows.
   */
  counts: (tenantId: string, filters: TicketConditionFilter[], cap: number): Statement => {
    const params: unknown[] = [tenantId, cap + 1];
    const bind = (value: unknown) => `$${params.push(value)}`;
    const columns = filters.map((filter, i) => {
      const where = ['t.tenant_id = $1', 't.deleted_at IS NULL', ...ticketConditions(filter, bind)].join(' AND ');
      return `(SELECT count(*)::int FROM (SELECT 1 FROM tickets t WHERE ${where} LIMIT $2) c) AS c${i}`;
    });
    return { sql: `SELECT ${columns.join(', ')}`, params };
  },
};
