import type { Statement } from '@switchboard/platform';
import type { EntityManager } from 'typeorm';

type Queryable = Pick<EntityManager, 'query'>;

/** One sign-in in one tenant: the refresh-token family and the access tokens' `sid`. */
export interface SessionView {
  id: string;
  userId: string;
  method: string;
  ip: string | null;
  userAgent: string | null;
  createdAt: string;
  lastUsedAt: string;
  expiresAt: string;
}

const COLUMNS = 'id, user_id, method, ip, user_agent, created_at, last_used_at, expires_at';
interface Row {
  id: string;
  user_id: string;
  method: string;
  ip: string | null;
  user_agent: string | null;
  created_at: Date;
  last_used_at: Date;
  expires_at: Date;
}
const toView = (r: Row): SessionView => ({
  id: r.id,
  userId: r.user_id,
  method: r.method,
  ip: r.ip,
  userAgent: r.user_agent,
  createdAt: new Date(r.created_at).toISOString(),
  lastUsedAt: new Date(r.last_used_at).toISOString(),
  expiresAt: new Date(r.expires_at).toISOString(),
});

export interface NewSession {
  tenantId: string;
  id: string;
  userId: string;
  method: string;
  ip: string | null;
  userAgent: string | null;
  ttlDays: number;
}

export async function insertSession(m: Queryable, s: NewSession): Promise<void> {
  await m.query(
    `INSERT INTO sessions (tenant_id, id, user_id, method, ip, user_agent, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(days => $7))`,
    [s.tenantId, s.id, s.userId, s.method, s.ip, s.userAgent?.slice(0, 500) ?? null, s.ttlDays],
  );
}

/**
 * On refresh: the session lives as long as its newest refresh token. A family signed in before
 * sessions existed gets its row now (method unknown), so it can be listed and revoked.
 */
export async function extendSession(m: Queryable, s: Omit<NewSession, 'method' | 'ip' | 'userAgent'>): Promise<void> {
  await m.query(
    `INSERT INTO sessions (tenant_id, id, user_id, method, expires_at) VALUES ($1, $2, $3, 'unknown', now() + make_interval(days => $4))
     ON CONFLICT (tenant_id, id) DO UPDATE SET last_used_at = now(), expires_at = EXCLUDED.expires_at`,
    [s.tenantId, s.id, s.userId, s.ttlDays],
  );
}

/** What the credential check needs: is this sign-in still on? */
export async function isSessionActive(q: Queryable, tenantId: string, id: string, userId: string): Promise<boolean> {
  const rows: unknown[] = await q.query(
    `SELECT 1 FROM sessions WHERE tenant_id = $1 AND id = $2 AND user_id = $3 AND revoked_at IS NULL AND expires_at > now()`,
    [tenantId, id, userId],
  );
  return rows.length > 0;
}

export async function touchSession(q: Queryable, tenantId: string, id: string): Promise<void> {
  await q.query(`UPDATE sessions SET last_used_at = now() WHERE tenant_id = $1 AND id = $2 AND revoked_at IS NULL`, [tenantId, id]);
}

export async function listActiveSessions(m: Queryable, tenantId: string, userId: string): Promise<SessionView[]> {
  const rows: Row[] = await m.query(
    `SELECT ${COLUMNS} FROM sessions WHERE tenant_id = $1 AND user_id = $2 AND revoked_at IS NULL AND expires_at > now()
      ORDER BY last_used_at DESC, id LIMIT 200`,
    [tenantId, userId],
  );
  return rows.map(toView);
}

/**
 * Revokes sessions and their refresh tokens; returns the revoked ids. `only` picks one session,
 * `except` spares one (the caller's own), neither: every session of the user in this tenant.
 */
export async function revokeSessions(
  m: Queryable,
  tenantId: string,
  userId: string,
  reason: string,
  options: { only?: string; except?: string | null } = {},
): Promise<string[]> {
  const rows: { id: string }[] = await m.query(
    // UPDATE … RETURNING inside a CTE: TypeORM answers a bare UPDATE with [rows, count].
    `WITH s AS (UPDATE sessions SET revoked_at = now(), revoked_reason = $3
                 WHERE tenant_id = $1 AND user_id = $2 AND revoked_at IS NULL
                   AND ($4::uuid IS NULL OR id = $4::uuid) AND ($5::uuid IS NULL OR id <> $5::uuid)
                 RETURNING id)
     SELECT id FROM s`,
    [tenantId, userId, reason, options.only ?? null, options.except ?? null],
  );
  const ids = rows.map((r) => r.id);
  if (options.only || options.except) {
    if (ids.length > 0) {
      await m.query(`UPDATE refresh_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE tenant_id = $1 AND family_id = ANY ($2::uuid[])`, [tenantId, ids]);
    }
  } else {
    // Also families from before sessions were recorded.
    await m.query(`UPDATE refresh_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE tenant_id = $1 AND user_id = $2`, [tenantId, userId]);
  }
  return ids;
}

/**
 * Across tenants (a password or second factor belongs to the user, not to one tenant): revokes
 * every session of the user except `except`, with their refresh tokens; returns the tenants touched.
 */
export async function revokeUserSessionsEverywhere(m: Queryable, userId: string, reason: string, except: string | null): Promise<string[]> {
  const rows: { tenant_id: string }[] = await m.query(
    `WITH s AS (UPDATE sessions SET revoked_at = now(), revoked_reason = $2
                 WHERE user_id = $1 AND revoked_at IS NULL AND ($3::uuid IS NULL OR id <> $3::uuid) RETURNING tenant_id),
          r AS (UPDATE refresh_tokens SET revoked_at = coalesce(revoked_at, now())
                 WHERE user_id = $1 AND revoked_at IS NULL AND ($3::uuid IS NULL OR family_id <> $3::uuid) RETURNING tenant_id)
     SELECT DISTINCT tenant_id FROM (SELECT tenant_id FROM s UNION ALL SELECT tenant_id FROM r) t`,
    [userId, reason, except],
  );
  return rows.map((r) => r.tenant_id);
}

/** Sessions past expiry, in batches, for the nightly retention. */
export function deleteExpiredSessions(limit: number): Statement {
  return {
    sql: `DELETE FROM sessions WHERE ctid = ANY (ARRAY(SELECT ctid FROM sessions WHERE expires_at < now() - interval '1 day' LIMIT $1))`,
    params: [limit],
  };
}
