import type { EntityManager } from 'typeorm';

export interface ApiKeyRow {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  created_by: string | null;
  last_used_at: Date | null;
  revoked_at: Date | null;
  created_at: Date;
}

export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdBy: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export const toApiKeyView = (k: ApiKeyRow): ApiKeyView => ({
  id: k.id,
  name: k.name,
  prefix: `sb_live_${k.prefix}`,
  scopes: k.scopes,
  createdBy: k.created_by,
  createdAt: new Date(k.created_at).toISOString(),
  lastUsedAt: iso(k.last_used_at),
  revokedAt: iso(k.revoked_at),
});

export const API_KEY_COLUMNS = 'id, name, prefix, scopes, created_by, last_used_at, revoked_at, created_at';

export interface NewApiKey {
  name: string;
  /** The 8-character id shown in lists (without `sb_live_`). */
  prefix: string;
  secretHash: string;
  scopes: string[];
  createdBy: string | null;
}

export async function insertApiKey(m: EntityManager, tenantId: string, key: NewApiKey): Promise<ApiKeyView> {
  const rows: ApiKeyRow[] = await m.query(
    `INSERT INTO api_keys (tenant_id, name, prefix, secret_hash, scopes, created_by)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${API_KEY_COLUMNS}`,
    [tenantId, key.name, key.prefix, key.secretHash, key.scopes, key.createdBy],
  );
  return toApiKeyView(rows[0]);
}

export async function findApiKey(m: EntityManager, tenantId: string, id: string, lock = false): Promise<ApiKeyView | undefined> {
  const rows: ApiKeyRow[] = await m.query(`SELECT ${API_KEY_COLUMNS} FROM api_keys WHERE tenant_id = $1 AND id = $2${lock ? ' FOR UPDATE' : ''}`, [tenantId, id]);
  return rows[0] ? toApiKeyView(rows[0]) : undefined;
}

export async function revokeApiKey(m: EntityManager, tenantId: string, id: string): Promise<void> {
  await m.query(`UPDATE api_keys SET revoked_at = now(), updated_at = now(), version = version + 1 WHERE tenant_id = $1 AND id = $2`, [tenantId, id]);
}

export async function listApiKeys(m: EntityManager, tenantId: string): Promise<ApiKeyView[]> {
  const rows: ApiKeyRow[] = await m.query(`SELECT ${API_KEY_COLUMNS} FROM api_keys WHERE tenant_id = $1 ORDER BY created_at DESC`, [tenantId]);
  return rows.map(toApiKeyView);
}
