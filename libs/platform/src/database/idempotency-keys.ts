import type { Statement } from './pipelined-transaction';

/** Where the idempotency interceptor leaves the request's key for the first write transaction (nestjs-cls). */
export const PENDING_IDEMPOTENCY = 'switchboard.idempotency';

/**
 * An Idempotency-Key carried by the request in progress. The first tenant write transaction of
 * the request records it (ADR 0020); the object is shared by reference, so nested CLS scopes see
 * the same state.
 */
export interface PendingIdempotency {
  /** The credential: `<kind>:<id>` of the principal, or `ip:<address>` for an anonymous caller. */
  scope: string;
  key: string;
  fingerprint: string;
  ttlSeconds: number;
  /** The tenant whose transaction inserted the record; null until one does, reset if it rolls back. */
  claimedIn: string | null;
  /** The transaction that inserted the record committed: the effect exists. */
  committed: boolean;
  /** The response has left (or is leaving): no later transaction records the key. */
  done: boolean;
}

export interface StoredIdempotentResponse {
  fingerprint: string;
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type IdempotencyRecord = { fingerprint: string; response: Omit<StoredIdempotentResponse, 'fingerprint'> | null };

/**
 * Raised by a tenant transaction whose Idempotency-Key record already exists: another request
 * with the key committed its effect first, so this one was rolled back. The interceptor answers
 * from the record.
 */
export class IdempotencyKeyTaken extends Error {
  constructor(readonly tenantId: string) {
    super('An earlier request with this Idempotency-Key has already taken effect');
  }
}

/**
 * The claim, run right after the tenant pin: an expired record of the key goes first (it no
 * longer protects anything), then a plain INSERT whose primary-key violation aborts the
 * transaction when a live record exists. A plain INSERT rather than ON CONFLICT DO NOTHING so
 * that the conflict fails the transaction by itself, also in a statement batch whose answers
 * nobody reads before COMMIT. On a real server a concurrent insert of the same key waits for the
 * other transaction and then conflicts or proceeds.
 */
export function claimStatements(pending: PendingIdempotency, tenantId: string): Statement[] {
  const id = [tenantId, pending.scope, pending.key];
  return [
    { sql: `DELETE FROM idempotency_keys WHERE tenant_id = $1 AND scope = $2 AND key = $3 AND expires_at <= now()`, params: id },
    {
      sql: `INSERT INTO idempotency_keys (tenant_id, scope, key, fingerprint, expires_at) VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5))`,
      params: [...id, pending.fingerprint, pending.ttlSeconds],
    },
  ];
}

/** True when `error` (pg's, or TypeORM's wrapping it) is the claim's primary-key violation. */
export function isIdempotencyKeyTaken(error: unknown): boolean {
  const e = ((error as { driverError?: unknown } | null)?.driverError ?? error) as { code?: string; constraint?: string; message?: string } | null;
  return e?.code === '23505' && (e.constraint === 'idempotency_keys_pkey' || (e.message ?? '').includes('idempotency_keys_pkey'));
}

export function readRecord(tenantId: string, scope: string, key: string): Statement {
  return {
    sql: `SELECT fingerprint, status, response_status, response_headers, response_body FROM idempotency_keys
           WHERE tenant_id = $1 AND scope = $2 AND key = $3 AND expires_at > now()`,
    params: [tenantId, scope, key],
  };
}

export function toRecord(row: Record<string, unknown> | undefined): IdempotencyRecord | null {
  if (!row) return null;
  const response =
    row.status === 'completed' && row.response_status !== null
      ? { status: Number(row.response_status), headers: (row.response_headers ?? {}) as Record<string, string>, body: String(row.response_body ?? '') }
      : null;
  return { fingerprint: String(row.fingerprint), response };
}

export function storeResponse(tenantId: string, scope: string, key: string, response: Omit<StoredIdempotentResponse, 'fingerprint'>): Statement {
  return {
    sql: `UPDATE idempotency_keys
             SET status = 'completed', response_status = $4, response_headers = $5::jsonb, response_body = $6, completed_at = now()
           WHERE tenant_id = $1 AND scope = $2 AND key = $3`,
    params: [tenantId, scope, key, response.status, JSON.stringify(response.headers), response.body],
  };
}

/** The retention job's step: up to `limit` expired records in one statement. */
export function deleteExpiredIdempotencyKeys(limit: number): Statement {
  return {
    sql: `DELETE FROM idempotency_keys WHERE (tenant_id, scope, key) IN (
            SELECT tenant_id, scope, key FROM idempotency_keys WHERE expires_at <= now() LIMIT $1)`,
    params: [limit],
  };
}
