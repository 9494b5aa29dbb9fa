import { defineOperatorStats, tableRowCount } from '@switchboard/platform';

const STATUSES = ['active', 'suspended', 'deleting'] as const;

/** Tenancy's sections of the operators' statistics: one row per tenant at most, and the planner's estimate of users once they are many. */
export const TenantStats = defineOperatorStats({
  name: 'tenants',
  description: 'Tenants by status',
  collect: async (db) => {
    const rows = await db.query<{ status: string; n: string }>(`SELECT status, count(*) AS n FROM tenants GROUP BY status`);
    const byStatus = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<(typeof STATUSES)[number], number>;
    for (const row of rows) if (row.status in byStatus) byStatus[row.status as (typeof STATUSES)[number]] = Number(row.n);
    return { total: Object.values(byStatus).reduce((a, b) => a + b, 0), byStatus };
  },
});

export const UserStats = defineOperatorStats({
  name: 'users',
  description: 'Users and memberships (estimated from table statistics once above 100,000 rows)',
  collect: async (db) => {
    const users = await tableRowCount(db, 'users');
    const memberships = await tableRowCount(db, 'memberships');
    return { total: users.count, memberships: memberships.count, estimated: users.estimated || memberships.estimated };
  },
});
