import { decodeCursor, type Statement } from '@switchboard/platform';

export interface EndpointRow {
  id: string;
  url: string;
  description: string | null;
  event_types: string[];
  active: boolean;
  disabled_reason: string | null;
  secret_key_id: string;
  secret: Buffer;
  secret_hint: string;
  previous_secret_key_id: string | null;
  previous_secret: Buffer | null;
  previous_secret_expires_at: Date | null;
  consecutive_failures: number;
  failing_since: Date | null;
  created_at: Date;
  updated_at: Date;
  version: number;
}

/** An endpoint as routes show it: the secret only as a hint. */
export interface EndpointView {
  id: string;
  url: string;
  description: string | null;
  eventTypes: string[];
  active: boolean;
  disabledReason: string | null;
  secretHint: string;
  /** Until when the secret before the last rotation still signs deliveries. */
  previousSecretExpiresAt: string | null;
  consecutiveFailures: number;
  failingSince: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** The sealed secrets of an endpoint: the current one and, for 24 h after a rotation, the previous. */
export interface SealedSecrets {
  current: { keyId: string; blob: Buffer };
  previous: { keyId: string; blob: Buffer; expiresAt: Date } | null;
}

export interface EndpointFields {
  url: string;
  description: string | null;
  eventTypes: string[];
  active: boolean;
}

export type DeliveryStatus = 'pending' | 'sending' | 'succeeded' | 'failed';

export interface DeliveryRow {
  id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  body: string;
  status: DeliveryStatus;
  attempts: number;
  response_status: number | null;
  response_body: string | null;
  duration_ms: number | null;
  error: string | null;
  window_started_at: Date;
  next_attempt_at: Date;
  last_attempt_at: Date | null;
  created_at: Date;
}

export interface DeliveryView {
  id: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  status: DeliveryStatus;
  attempts: number;
  responseStatus: number | null;
  /** The receiver's answer, cut to 2 KB. */
  responseBody: string | null;
  durationMs: number | null;
  error: string | null;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  createdAt: string;
}

/** What a delivery job needs beyond the view: the exact body and when its retry window opened. */
export interface DeliveryWork extends DeliveryView {
  body: string;
  windowStartedAt: Date;
}

export interface AttemptOutcome {
  status: DeliveryStatus;
  responseStatus: number | null;
  responseBody: string | null;
  durationMs: number;
  error: string | null;
  nextAttemptAt: Date | null;
}

const ENDPOINT_COLUMNS =
  'id, url, description, event_types, active, disabled_reason, secret_key_id, secret, secret_hint, previous_secret_key_id, previous_secret, previous_secret_expires_at, consecutive_failures, failing_since, created_at, updated_at, version';
const DELIVERY_COLUMNS = 'id, endpoint_id, event_id, event_type, body, status, attempts, response_status, response_body, duration_ms, error, window_started_at, next_attempt_at, last_attempt_at, created_at';
const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export const toEndpointView = (r: EndpointRow): EndpointView => ({
  id: r.id,
  url: r.url,
  description: r.description,
  eventTypes: r.event_types,
  active: r.active,
  disabledReason: r.disabled_reason,
  secretHint: r.secret_hint,
  previousSecretExpiresAt: r.previous_secret_expires_at && new Date(r.previous_secret_expires_at).getTime() > Date.now() ? iso(r.previous_secret_expires_at) : null,
  consecutiveFailures: r.consecutive_failures,
  failingSince: iso(r.failing_since),
  createdAt: iso(r.created_at)!,
  updatedAt: iso(r.updated_at)!,
  version: r.version,
});

export const toSealedSecrets = (r: EndpointRow): SealedSecrets => ({
  current: { keyId: r.secret_key_id, blob: r.secret },
  previous:
    r.previous_secret && r.previous_secret_key_id && r.previous_secret_expires_at && new Date(r.previous_secret_expires_at).getTime() > Date.now()
      ? { keyId: r.previous_secret_key_id, blob: r.previous_secret, expiresAt: new Date(r.previous_secret_expires_at) }
      : null,
});

export const toDeliveryView = (r: DeliveryRow): DeliveryView => ({
  id: r.id,
  endpointId: r.endpoint_id,
  eventId: r.event_id,
  eventType: r.event_type,
  status: r.status,
  attempts: r.attempts,
  responseStatus: r.response_status,
  responseBody: r.response_body,
  durationMs: r.duration_ms,
  error: r.error,
  nextAttemptAt: r.status === 'pending' ? iso(r.next_attempt_at) : null,
  lastAttemptAt: iso(r.last_attempt_at),
  createdAt: iso(r.created_at)!,
});

export const toDeliveryWork = (r: DeliveryRow): DeliveryWork => ({ ...toDeliveryView(r), body: r.body, windowStartedAt: new Date(r.window_started_at) });

export const webhooksSql = {
  findEndpoint: (tenantId: string, id: string, lock = false): Statement => ({
    sql: `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE tenant_id = $1 AND id = $2${lock ? ' FOR UPDATE' : ''}`,
    params: [tenantId, id],
  }),
  listEndpoints: (tenantId: string): Statement => ({
    sql: `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE tenant_id = $1 ORDER BY created_at, id`,
    params: [tenantId],
  }),
  activeEndpoints: (tenantId: string): Statement => ({
    sql: `SELECT id, event_types FROM webhook_endpoints WHERE tenant_id = $1 AND active`,
    params: [tenantId],
  }),
  countEndpoints: (tenantId: string): Statement => ({ sql: `SELECT count(*)::int AS n FROM webhook_endpoints WHERE tenant_id = $1`, params: [tenantId] }),
  insertEndpoint: (tenantId: string, id: string, f: EndpointFields, sealed: { keyId: string; blob: Buffer }, hint: string): Statement => ({
    sql: `INSERT INTO webhook_endpoints (tenant_id, id, url, description, event_types, active, secret_key_id, secret, secret_hint)
          VALUES ($1, $2, $3, $4, $5::text[], $6, $7, $8, $9) RETURNING ${ENDPOINT_COLUMNS}`,
    params: [tenantId, id, f.url, f.description, f.eventTypes, f.active, sealed.keyId, sealed.blob, hint],
  }),
  /** Turning an endpoint back on clears its failure streak and the reason it was off. */
  updateEndpoint: (tenantId: string, id: string, f: EndpointFields): Statement => ({
    sql: `UPDATE webhook_endpoints SET url = $3, description = $4, event_types = $5::text[],
                 disabled_reason = CASE WHEN $6 THEN NULL ELSE disabled_reason END,
                 consecutive_failures = CASE WHEN $6 AND NOT active THEN 0 ELSE consecutive_failures END,
                 failing_since = CASE WHEN $6 AND NOT active THEN NULL ELSE failing_since END,
                 active = $6, updated_at = now(), version = version + 1
          WHERE tenant_id = $1 AND id = $2 RETURNING ${ENDPOINT_COLUMNS}`,
    params: [tenantId, id, f.url, f.description, f.eventTypes, f.active],
  }),
  rotateSecret: (tenantId: string, id: string, sealed: { keyId: string; blob: Buffer }, hint: string, previousValidMs: number): Statement => ({
    sql: `UPDATE webhook_endpoints SET previous_secret_key_id = secret_key_id, previous_secret = secret,
                 previous_secret_expires_at = now() + make_interval(secs => $6::double precision / 1000),
                 secret_key_id = $3, secret = $4, secret_hint = $5, updated_at = now(), version = version + 1
          WHERE tenant_id = $1 AND id = $2 RETURNING ${ENDPOINT_COLUMNS}`,
    params: [tenantId, id, sealed.keyId, sealed.blob, hint, previousValidMs],
  }),
  deleteEndpoint: (tenantId: string, id: string): Statement => ({
    sql: `DELETE FROM webhook_endpoints WHERE tenant_id = $1 AND id = $2 RETURNING url`,
    params: [tenantId, id],
  }),
  /** A success ends the failure streak. */
  recordSuccess: (tenantId: string, id: string): Statement => ({
    sql: `UPDATE webhook_endpoints SET consecutive_failures = 0, failing_since = NULL WHERE tenant_id = $1 AND id = $2 AND (consecutive_failures > 0 OR failing_since IS NOT NULL)`,
    params: [tenantId, id],
  }),
  /** One more failed attempt; returns the streak so the caller decides whether to disable. */
  recordFailure: (tenantId: string, id: string): Statement => ({
    sql: `UPDATE webhook_endpoints SET consecutive_failures = consecutive_failures + 1, failing_since = COALESCE(failing_since, now())
          WHERE tenant_id = $1 AND id = $2 RETURNING consecutive_failures, failing_since, active`,
    params: [tenantId, id],
  }),
  disable: (tenantId: string, id: string, reason: string): Statement => ({
    sql: `UPDATE webhook_endpoints SET active = false, disabled_reason = $3, updated_at = now(), version = version + 1
          WHERE tenant_id = $1 AND id = $2 AND active RETURNING id`,
    params: [tenantId, id, reason],
  }),

  /** One delivery per (endpoint, event): a re-dispatched event inserts nothing. */
  insertDelivery: (tenantId: string, endpointId: string, eventId: string, eventType: string, body: string): Statement => ({
    sql: `INSERT INTO webhook_deliveries (tenant_id, endpoint_id, event_id, event_type, body) VALUES ($1, $2, $3, $4, $5)
          ON CONFLICT (tenant_id, endpoint_id, event_id) DO NOTHING RETURNING id`,
    params: [tenantId, endpointId, eventId, eventType, body],
  }),
  findDelivery: (tenantId: string, id: string, endpointId?: string): Statement => ({
    sql: `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries WHERE tenant_id = $1 AND id = $2${endpointId ? ' AND endpoint_id = $3' : ''}`,
    params: endpointId ? [tenantId, id, endpointId] : [tenantId, id],
  }),
  /** Takes a due pending delivery for one attempt; nothing when another worker has it or it is settled. */
  claimDelivery: (tenantId: string, id: string): Statement => ({
    sql: `UPDATE webhook_deliveries SET status = 'sending', attempts = attempts + 1, last_attempt_at = now(), updated_at = now()
          WHERE tenant_id = $1 AND id = $2 AND status = 'pending' RETURNING ${DELIVERY_COLUMNS}`,
    params: [tenantId, id],
  }),
  settleDelivery: (tenantId: string, id: string, o: AttemptOutcome): Statement => ({
    sql: `UPDATE webhook_deliveries SET status = $3, response_status = $4, response_body = $5, duration_ms = $6, error = $7,
                 next_attempt_at = COALESCE($8, next_attempt_at), updated_at = now()
          WHERE tenant_id = $1 AND id = $2 AND status = 'sending' RETURNING ${DELIVERY_COLUMNS}`,
    params: [tenantId, id, o.status, o.responseStatus, o.responseBody, o.durationMs, o.error, o.nextAttemptAt],
  }),
  /** A manual redelivery: pending again now, with a fresh 24 h retry window. */
  requeueDelivery: (tenantId: string, id: string, endpointId: string): Statement => ({
    sql: `UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = now(), window_started_at = now(), updated_at = now()
          WHERE tenant_id = $1 AND id = $2 AND endpoint_id = $3 AND status <> 'sending' RETURNING ${DELIVERY_COLUMNS}`,
    params: [tenantId, id, endpointId],
  }),
  /** Pending deliveries of a disabled endpoint stop: there is nobody to send them to. */
  failPending: (tenantId: string, endpointId: string, reason: string): Statement => ({
    sql: `UPDATE webhook_deliveries SET status = 'failed', error = left(COALESCE(error || ' — ', '') || $3, 1000), updated_at = now()
          WHERE tenant_id = $1 AND endpoint_id = $2 AND status = 'pending'`,
    params: [tenantId, endpointId, reason],
  }),
  listDeliveries: (tenantId: string, endpointId: string, limit: number, cursor?: string, status?: DeliveryStatus): Statement => {
    const params: unknown[] = [tenantId, endpointId, limit + 1];
    let where = '';
    if (status) {
      params.push(status);
      where += ` AND status = $${params.length}`;
    }
    if (cursor) {
      const [createdAt, id] = decodeCursor(cursor, 2);
      params.push(createdAt, id);
      where += ` AND (created_at, id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`;
    }
    return {
      sql: `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries WHERE tenant_id = $1 AND endpoint_id = $2${where} ORDER BY created_at DESC, id DESC LIMIT $3`,
      params,
    };
  },
};

/** Across tenants (the sweep runs as the system): due retries, and sends a stopped worker left half-done. */
export const webhookSweepSql = {
  due: (until: Date, limit: number): Statement => ({
    sql: `SELECT tenant_id, id, next_attempt_at FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= $1 ORDER BY next_attempt_at LIMIT $2`,
    params: [until, limit],
  }),
  /** One batch of settled deliveries past the retention, across tenants. */
  prune: (days: number) => (limit: number): Statement => ({
    sql: `DELETE FROM webhook_deliveries WHERE ctid = ANY (ARRAY(SELECT ctid FROM webhook_deliveries
            WHERE status IN ('succeeded', 'failed') AND updated_at < now() - make_interval(days => $2) LIMIT $1))`,
    params: [limit, days],
  }),
  /** A send that never settled (the worker stopped mid-request) is tried again: receivers dedupe on Webhook-Id. */
  interrupted: (staleMs: number): Statement => ({
    sql: `UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = now(), updated_at = now()
          WHERE status = 'sending' AND updated_at < now() - make_interval(secs => $1::double precision / 1000) RETURNING id`,
    params: [staleMs],
  }),
};
