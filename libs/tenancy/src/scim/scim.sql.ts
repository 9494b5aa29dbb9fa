import type { EntityManager } from 'typeorm';

type Queryable = Pick<EntityManager, 'query'>;

export interface ScimTokenView {
  id: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
}

interface TokenRow {
  id: string;
  prefix: string;
  created_at: Date;
  last_used_at: Date | null;
}

const toTokenView = (r: TokenRow): ScimTokenView => ({
  id: r.id,
  prefix: `sb_scim_${r.prefix}`,
  createdAt: new Date(r.created_at).toISOString(),
  lastUsedAt: r.last_used_at ? new Date(r.last_used_at).toISOString() : null,
});

export async function insertScimToken(q: Queryable, tenantId: string, t: { prefix: string; secretHash: string; createdBy: string | null }): Promise<ScimTokenView> {
  const rows: TokenRow[] = await q.query(
    `INSERT INTO scim_tokens (tenant_id, prefix, secret_hash, created_by) VALUES ($1, $2, $3, $4) RETURNING id, prefix, created_at, last_used_at`,
    [tenantId, t.prefix, t.secretHash, t.createdBy],
  );
  return toTokenView(rows[0]);
}

/** The tenant's live token, if any (there is at most one). */
export async function findActiveScimToken(q: Queryable, tenantId: string, lock = false): Promise<ScimTokenView | undefined> {
  const rows: TokenRow[] = await q.query(
    `SELECT id, prefix, created_at, last_used_at FROM scim_tokens WHERE tenant_id = $1 AND revoked_at IS NULL ORDER BY created_at DESC LIMIT 1${lock ? ' FOR UPDATE' : ''}`,
    [tenantId],
  );
  return rows[0] ? toTokenView(rows[0]) : undefined;
}

export async function revokeScimTokens(q: Queryable, tenantId: string): Promise<void> {
  await q.query(`UPDATE scim_tokens SET revoked_at = now() WHERE tenant_id = $1 AND revoked_at IS NULL`, [tenantId]);
}

export interface ScimTokenCredential {
  id: string;
  tenantId: string;
  secretHash: string;
  revoked: boolean;
  tenantStatus: string;
}

/** Across tenants (the token is the credential). */
export async function findScimTokenByPrefix(q: Queryable, prefix: string): Promise<ScimTokenCredential | undefined> {
  const rows: { id: string; tenant_id: string; secret_hash: string; revoked_at: Date | null; status: string }[] = await q.query(
    `SELECT k.id, k.tenant_id, k.secret_hash, k.revoked_at, t.status FROM scim_tokens k JOIN tenants t ON t.id = k.tenant_id WHERE k.prefix = $1`,
    [prefix],
  );
  const r = rows[0];
  return r ? { id: r.id, tenantId: r.tenant_id, secretHash: r.secret_hash, revoked: r.revoked_at !== null, tenantStatus: r.status } : undefined;
}

export async function touchScimToken(q: Queryable, tenantId: string, id: string): Promise<void> {
  await q.query(`UPDATE scim_tokens SET last_used_at = now() WHERE tenant_id = $1 AND id = $2 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`, [tenantId, id]);
}

/** A provisioned person as stored; the SCIM representation is built from it (scim-user.ts). */
export interface ScimUserRecord {
  id: string;
  userId: string;
  userName: string;
  externalId: string | null;
  givenName: string | null;
  familyName: string | null;
  displayName: string | null;
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

interface UserRow {
  id: string;
  user_id: string;
  user_name: string;
  external_id: string | null;
  given_name: string | null;
  family_name: string | null;
  display_name: string | null;
  active: boolean;
  created_at: Date;
  updated_at: Date;
  version: number;
}

const USER_COLUMNS = 'id, user_id, user_name, external_id, given_name, family_name, display_name, active, created_at, updated_at, version';

const toRecord = (r: UserRow): ScimUserRecord => ({
  id: r.id,
  userId: r.user_id,
  userName: r.user_name,
  externalId: r.external_id,
  givenName: r.given_name,
  familyName: r.family_name,
  displayName: r.display_name,
  active: r.active,
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
  version: r.version,
});

export type ScimUserFields = Pick<ScimUserRecord, 'userName' | 'externalId' | 'givenName' | 'familyName' | 'displayName' | 'active'>;

export async function insertScimUser(q: Queryable, tenantId: string, userId: string, f: ScimUserFields): Promise<ScimUserRecord> {
  const rows: UserRow[] = await q.query(
    `INSERT INTO scim_users (tenant_id, user_id, user_name, external_id, given_name, family_name, display_name, active)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${USER_COLUMNS}`,
    [tenantId, userId, f.userName, f.externalId, f.givenName, f.familyName, f.displayName, f.active],
  );
  return toRecord(rows[0]);
}

export async function findScimUser(q: Queryable, tenantId: string, id: string, lock = false): Promise<ScimUserRecord | undefined> {
  const rows: UserRow[] = await q.query(`SELECT ${USER_COLUMNS} FROM scim_users WHERE tenant_id = $1 AND id = $2${lock ? ' FOR UPDATE' : ''}`, [tenantId, id]);
  return rows[0] ? toRecord(rows[0]) : undefined;
}

export async function scimUserExists(q: Queryable, tenantId: string, where: { userName: string } | { userId: string }): Promise<boolean> {
  const [column, value] = 'userName' in where ? ['user_name', where.userName] : ['user_id', where.userId];
  const rows: unknown[] = await q.query(`SELECT 1 FROM scim_users WHERE tenant_id = $1 AND ${column} = $2`, [tenantId, value]);
  return rows.length > 0;
}

export async function listScimUsers(q: Queryable, tenantId: string): Promise<ScimUserRecord[]> {
  const rows: UserRow[] = await q.query(`SELECT ${USER_COLUMNS} FROM scim_users WHERE tenant_id = $1 ORDER BY created_at, id`, [tenantId]);
  return rows.map(toRecord);
}

export async function updateScimUser(q: Queryable, tenantId: string, id: string, f: ScimUserFields): Promise<ScimUserRecord> {
  const rows: UserRow[] = await q.query(
    `WITH u AS (UPDATE scim_users SET user_name = $3, external_id = $4, given_name = $5, family_name = $6, display_name = $7, active = $8,
            updated_at = now(), version = version + 1
      WHERE tenant_id = $1 AND id = $2 RETURNING ${USER_COLUMNS}) SELECT * FROM u`,
    [tenantId, id, f.userName, f.externalId, f.givenName, f.familyName, f.displayName, f.active],
  );
  return toRecord(rows[0]);
}

export async function deleteScimUser(q: Queryable, tenantId: string, id: string): Promise<void> {
  await q.query(`DELETE FROM scim_users WHERE tenant_id = $1 AND id = $2`, [tenantId, id]);
}

/** Revokes the live API keys this user created in the tenant; their ids. */
export async function revokeApiKeysCreatedBy(q: Queryable, tenantId: string, userId: string): Promise<string[]> {
  const rows: { id: string }[] = await q.query(
    `WITH r AS (UPDATE api_keys SET revoked_at = now(), updated_at = now(), version = version + 1
      WHERE tenant_id = $1 AND created_by = $2 AND revoked_at IS NULL RETURNING id) SELECT id FROM r`,
    [tenantId, userId],
  );
  return rows.map((r) => r.id);
}

/** The membership of a user in the tenant, if any. */
export async function membershipOf(q: Queryable, tenantId: string, userId: string): Promise<{ id: string; role: string } | undefined> {
  const rows: { id: string; role: string }[] = await q.query(`SELECT id, role FROM memberships WHERE tenant_id = $1 AND user_id = $2 FOR UPDATE`, [tenantId, userId]);
  return rows[0];
}

export async function defaultProvisioningRole(q: Queryable, tenantId: string): Promise<string | undefined> {
  const rows: { default_role: string }[] = await q.query(`SELECT default_role FROM sso_connections WHERE tenant_id = $1`, [tenantId]);
  return rows[0]?.default_role;
}
