import type { QueryRunner } from 'typeorm';
import { APP_DB_ROLE } from './data-source-options';

/** The tenant predicate every policy uses; '' (seen after first use) counts as no tenant. */
export const CURRENT_TENANT = `NULLIF(current_setting('app.tenant_id', true), '')::uuid`;

/**
 * Row-level security for a tenant-owned table: the application role sees and writes only rows
 * of the tenant pinned by the transaction. `privileges` is what the role may do at all.
 */
export async function enableTenantRls(
  runner: QueryRunner,
  table: string,
  privileges: ReadonlyArray<'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE'> = ['SELECT', 'INSERT', 'UPDATE', 'DELETE'],
): Promise<void> {
  await runner.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
  await runner.query(
    `CREATE POLICY tenant_isolation ON ${table} USING (tenant_id = ${CURRENT_TENANT}) WITH CHECK (tenant_id = ${CURRENT_TENANT})`,
  );
  await runner.query(`GRANT ${privileges.join(', ')} ON ${table} TO ${APP_DB_ROLE}`);
}
