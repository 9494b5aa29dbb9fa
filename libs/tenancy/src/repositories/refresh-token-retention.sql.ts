import type { Statement } from '@switchboard/platform';

/**
 * Up to `limit` refresh tokens past their expiry, whatever their state: an expired token is refused
 * anyway, and a rotated one only matters for reuse detection while it could still be presented.
 * Revoked tokens stay until they expire, so presenting one still revokes its family.
 */
export function deleteExpiredRefreshTokens(limit: number): Statement {
  return {
    sql: `DELETE FROM refresh_tokens WHERE ctid = ANY (ARRAY(SELECT ctid FROM refresh_tokens WHERE expires_at < now() LIMIT $1))`,
    params: [limit],
  };
}
