import type { EntityManager } from 'typeorm';
import type { Role } from '../domain/roles';

/**
 * What the credential checks read on every request that misses the access cache. Run outside
 * tenant transactions (no tenant is known yet) on the data source: a single statement each.
 */
type Queryable = Pick<EntityManager, 'query'>;

export async function findMemberAccess(q: Queryable, tenantId: string, userId: string): Promise<{ role: Role; status: string } | undefined> {
  const rows: { role: Role; status: string }[] = await q.query(
    `SELECT m.role, t.status FROM memberships m JOIN tenants t ON t.id = m.tenant_id
      WHERE m.tenant_id = $1 AND m.user_id = $2`,
    [tenantId, userId],
  );
  return rows[0];
}

export interface ApiKeyCredentialRow {
  id: string;
  tenant_id: string;
  secret_hash: string;
  scopes: string[];
  revoked_at: Date | null;
  status: string;
  last_used_at: Date | null;
}

export async function findApiKeyByPrefix(q: Queryable, prefix: string): Promise<ApiKeyCredentialRow | undefined> {
  const rows: ApiKeyCredentialRow[] = await q.query(
    `SELECT k.id, k.tenant_id, k.secret_hash, k.scopes, k.revoked_at, k.last_used_at, t.status
       FROM api_keys k JOIN tenants t ON t.id = k.tenant_id WHERE k.prefix = $1`,
    [prefix],
  );
  return rows[0];
}

export async function touchApiKeyLastUsed(q: Queryable, tenantId: string, id: string): Promise<void> {
  await q.query(`UPDATE api_keys SET last_used_at = now() WHERE tenant_id = $1 AND id = $2`, [tenantId, id]);
}

/** The signing key the first migration generated, used when AUTH_JWT_SECRET is unset. */
export async function findGeneratedJwtKey(q: Queryable): Promise<string | undefined> {
  const rows: { value: string }[] = await q.query(`SELECT value FROM platform_secrets WHERE name = 'jwt_signing_key'`);
  return rows[0]?.value;
}
