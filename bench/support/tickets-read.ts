import { jwtVerify } from 'jose';
import { Pool } from 'pg';

/**
 * What the api does for an authenticated `GET /v1/tickets?limit=N`, without a framework: the
 * baselines of `bench http` (raw node:http and bare Nest) both call this, so they differ from each
 * other only in the HTTP layer. Like the api: the HS256 access token is verified once and
 * remembered until it expires (the api's token service does the same, and its access cache spares
 * it the membership query, so neither side reads the membership per request); then one tenant
 * transaction — BEGIN and the tenant pin pipelined with the keyset query, COMMIT — with the api's
 * columns, order and limit + 1, and the same page shape (camelCase view, opaque cursor).
 */
const COLUMNS = 'id, number, subject, status, priority, type, channel, requester_id, assignee_id, tags, due_at, external_id, created_at, updated_at, version';

export interface TicketsReader {
  /** Status and body (to be sent as JSON) for an Authorization header and a page size. */
  read(authorization: string | undefined, limit: number): Promise<{ status: number; body: object }>;
  close(): Promise<void>;
}

interface Claims {
  tenantId: string;
  expiresAt: number;
}

export function createTicketsReader(options: { databaseUrl: string; jwtKey: string; poolSize: number }): TicketsReader {
  const pool = new Pool({ connectionString: options.databaseUrl, max: options.poolSize, pipeline: true });
  const key = new TextEncoder().encode(options.jwtKey);
  const verified = new Map<string, Claims>();

  async function tenantOf(authorization: string | undefined): Promise<string | null> {
    const token = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
    if (!token) return null;
    const known = verified.get(token);
    if (known && known.expiresAt > Date.now()) return known.tenantId;
    try {
      const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'], issuer: 'switchboard', audience: 'switchboard-api' });
      verified.set(token, { tenantId: payload.tid as string, expiresAt: (payload.exp ?? 0) * 1000 });
      return payload.tid as string;
    } catch {
      return null;
    }
  }

  return {
    async read(authorization, limit) {
      const tenantId = await tenantOf(authorization);
      if (!tenantId) return { status: 401, body: { status: 401, title: 'Unauthorized' } };
      const client = await pool.connect();
      let rows: Record<string, unknown>[];
      try {
        const opened = Promise.all([client.query('BEGIN'), client.query(`SELECT set_config('app.tenant_id', $1, true), set_config('role', $2, true)`, [tenantId, 'switchboard_app'])]);
        const result = await client.query(
          `SELECT ${COLUMNS.split(', ').map((c) => `t.${c}`).join(', ')} FROM tickets t WHERE t.tenant_id = $1 ORDER BY t.created_at DESC, t.id DESC LIMIT $2`,
          [tenantId, limit + 1],
        );
        await opened;
        await client.query('COMMIT');
        rows = result.rows as Record<string, unknown>[];
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        return { status: 500, body: { status: 500, detail: String(error) } };
      } finally {
        client.release();
      }
      const data = rows.slice(0, limit).map(toView);
      const last = data[data.length - 1];
      const nextCursor = rows.length > limit && last ? Buffer.from(JSON.stringify([last.createdAt, last.id])).toString('base64url') : null;
      return { status: 200, body: { data, nextCursor } };
    },
    close: () => pool.end(),
  };
}

const iso = (value: unknown) => (value ? new Date(value as string).toISOString() : null);

function toView(t: Record<string, unknown>) {
  return {
    id: t.id as string,
    number: t.number,
    subject: t.subject,
    status: t.status,
    priority: t.priority,
    type: t.type,
    channel: t.channel,
    requesterId: t.requester_id,
    assigneeId: t.assignee_id,
    tags: t.tags,
    dueAt: iso(t.due_at),
    externalId: t.external_id,
    createdAt: iso(t.created_at),
    updatedAt: iso(t.updated_at),
    version: t.version,
  };
}
