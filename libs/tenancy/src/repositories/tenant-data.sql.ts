import type { EntityManager } from 'typeorm';

/**
 * Statements over every table that holds tenant rows, for the purge. Tables are found in the
 * catalog (every table with a tenant_id column), so tables added by later contexts are covered.
 */
export async function tablesWithTenantRows(m: EntityManager): Promise<string[]> {
  const rows: { table_name: string }[] = await m.query(
    `SELECT c.table_name FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = current_schema() AND c.column_name = 'tenant_id' AND t.table_type = 'BASE TABLE'
      ORDER BY c.table_name`,
  );
  return rows.map((r) => r.table_name);
}

/** Deletes up to `batch` of the tenant's rows in `table` (a name from `tablesWithTenantRows`); returns how many went. */
export async function deleteTenantRowsBatch(m: EntityManager, table: string, tenantId: string, batch: number): Promise<number> {
  const result: [unknown[], number] = await m.query(
    `DELETE FROM "${table}" WHERE ctid = ANY (ARRAY(SELECT ctid FROM "${table}" WHERE tenant_id = $1 LIMIT ${batch}))`,
    [tenantId],
  );
  return result[1];
}
