import type { EntityManager } from 'typeorm';
import type { Role } from '../domain/roles';

export interface NewRefreshToken {
  tenantId: string;
  userId: string;
  /** Every token of one sign-in shares a family; reuse of a rotated token revokes the family. */
  familyId: string;
  tokenHash: string;
  ttlDays: number;
}

export async function insertRefreshToken(m: EntityManager, token: NewRefreshToken): Promise<void> {
  await m.query(
    `INSERT INTO refresh_tokens (tenant_id, user_id, family_id, token_hash, expires_at)
     VALUES ($1, $2, $3, $4, now() + make_interval(days => $5))`,
    [token.tenantId, token.userId, token.familyId, token.tokenHash, token.ttlDays],
  );
}

/** A refresh token with what a refresh decides on: its state, the member's role (null: no longer a member) and the tenant. */
export interface PresentedRefreshToken {
  id: string;
  tenantId: string;
  userId: string;
  familyId: string;
  expiresAt: Date;
  rotated: boolean;
  revoked: boolean;
  role: Role | null;
  tenant: { id: string; slug: string; name: string; status: string };
}

/** Across tenants (the token is the credential), locked for the rest of the transaction. */
export async function findRefreshTokenForUpdate(m: EntityManager, tokenHash: string): Promise<PresentedRefreshToken | undefined> {
  const rows: {
    id: string;
    tenant_id: string;
    user_id: string;
    family_id: string;
    expires_at: Date;
    rotated_at: Date | null;
    revoked_at: Date | null;
    role: Role | null;
    slug: string;
    name: string;
    status: string;
  }[] = await m.query(
    `SELECT r.id, r.tenant_id, r.user_id, r.family_id, r.expires_at, r.rotated_at, r.revoked_at,
            mb.role, t.slug, t.name, t.status
       FROM refresh_tokens r
       JOIN tenants t ON t.id = r.tenant_id
       LEFT JOIN memberships mb ON mb.tenant_id = r.tenant_id AND mb.user_id = r.user_id
      WHERE r.token_hash = $1 FOR UPDATE OF r`,
    [tokenHash],
  );
  const row = rows[0];
  if (!row) return undefined;
  return {
    id: row.id,
    tenantId: row.tenant_id,
    userId: row.user_id,
    familyId: row.family_id,
    expiresAt: new Date(row.expires_at),
    rotated: row.rotated_at !== null,
    revoked: row.revoked_at !== null,
    role: row.role,
    tenant: { id: row.tenant_id, slug: row.slug, name: row.name, status: row.status },
  };
}

export async function markRefreshTokenRotated(m: EntityManager, tenantId: string, id: string): Promise<void> {
  await m.query(`UPDATE refresh_tokens SET rotated_at = now() WHERE tenant_id = $1 AND id = $2`, [tenantId, id]);
}

export async function revokeRefreshTokenFamily(m: EntityManager, tenantId: string, familyId: string): Promise<void> {
  await m.query(`UPDATE refresh_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE tenant_id = $1 AND family_id = $2`, [tenantId, familyId]);
}

/** Revokes the family of the token with this hash; nothing when there is none. */
export async function revokeRefreshTokenFamilyOf(m: EntityManager, tokenHash: string): Promise<void> {
  await m.query(
    `UPDATE refresh_tokens SET revoked_at = coalesce(revoked_at, now())
      WHERE (tenant_id, family_id) IN (SELECT tenant_id, family_id FROM refresh_tokens WHERE token_hash = $1)`,
    [tokenHash],
  );
}

export async function revokeRefreshTokensOfUser(m: EntityManager, tenantId: string, userId: string): Promise<void> {
  await m.query(`UPDATE refresh_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE tenant_id = $1 AND user_id = $2`, [tenantId, userId]);
}
