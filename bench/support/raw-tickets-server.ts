import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { jwtVerify } from 'jose';
import { Pool, type PoolClient } from 'pg';

/**
 * The baseline for `bench tickets`: bare node:http + pg doing what the api does for
 * `GET /v1/tickets?status=open&limit=25` and `POST /v1/tickets` — the same token check and
 * membership query, the same tenant transaction and the same SQL (ticket, number, audit entry,
 * outbox row) — with no framework. Env: PORT, HOST, DATABASE_URL, JWT_KEY.
 */
// Pipeline mode and a pipelined BEGIN + pin, exactly as the api's tenant transaction.
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10, pipeline: true });
const key = new TextEncoder().encode(process.env.JWT_KEY ?? '');
const COLUMNS = 'id, number, subject, status, priority, type, channel, requester_id, assignee_id, tags, due_at, external_id, created_at, updated_at, version';

const send = (res: ServerResponse, status: number, body: unknown) =>
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
}

async function inTenant<T>(tenantId: string, work: (c: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    const opened = Promise.all([client.query('BEGIN'), client.query(`SELECT set_config('app.tenant_id', $1, true), set_config('role', $2, true)`, [tenantId, 'switchboard_app'])]);
    const result = await work(client);
    await opened;
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

const server = createServer((req, res) => {
  void (async () => {
    if (req.url === '/health') return send(res, 200, { ok: true });
    const match = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
    if (!match) return send(res, 401, {});
    let claims;
    try {
      ({ payload: claims } = await jwtVerify(match[1], key, { algorithms: ['HS256'], issuer: 'switchboard', audience: 'switchboard-api' }));
    } catch {
      return send(res, 401, {});
    }
    const tenantId = claims.tid as string;
    const membership = await pool.query(`SELECT m.role, t.status FROM memberships m JOIN tenants t ON t.id = m.tenant_id WHERE m.tenant_id = $1 AND m.user_id = $2`, [tenantId, claims.sub]);
    if (!membership.rows[0]) return send(res, 401, {});
    try {
      if (req.method === 'GET' && req.url?.startsWith('/v1/tickets')) {
        const rows = await inTenant(tenantId, async (c) =>
          (await c.query(`SELECT ${COLUMNS} FROM tickets t WHERE t.tenant_id = $1 AND t.status = ANY($3::text[]) ORDER BY t.created_at DESC, t.id DESC LIMIT $2`, [tenantId, 26, ['open']])).rows,
        );
        return send(res, 200, { data: rows.slice(0, 25), nextCursor: rows.length > 25 ? 'x' : null });
      }
      if (req.method === 'POST' && req.url === '/v1/tickets') {
        const body = await readBody(req);
        const ticket = await inTenant(tenantId, async (c) => {
          const [{ last_number }] = (await c.query(
            `INSERT INTO ticket_counters (tenant_id, last_number) VALUES ($1, 1001) ON CONFLICT (tenant_id) DO UPDATE SET last_number = ticket_counters.last_number + 1 RETURNING last_number`,
            [tenantId],
          )).rows;
          const [row] = (await c.query(
            `INSERT INTO tickets (tenant_id, number, subject, requester_id, tags) VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
            [tenantId, last_number, body.subject, body.requesterId, []],
          )).rows;
          await c.query(`INSERT INTO ticket_events (tenant_id, ticket_id, action, changes, actor_type, actor_id) VALUES ($1, $2, 'ticket.created', '{}', 'user', $3)`, [tenantId, row.id, claims.sub]);
          await c.query(`INSERT INTO audit_logs (tenant_id, actor_type, actor_id, action, entity_type, entity_id, changes) VALUES ($1, 'user', $2, 'ticket.created', 'ticket', $3, '{}')`, [tenantId, claims.sub, row.id]);
          await c.query(
            `INSERT INTO outbox (id, tenant_id, type, aggregate_type, aggregate_id, payload) VALUES ($1, $2, 'tickets.ticket_created', 'ticket', $3, $4)`,
            [randomUUID(), tenantId, row.id, JSON.stringify({ ticket: row })],
          );
          return row;
        });
        return send(res, 201, ticket);
      }
      send(res, 404, {});
    } catch (error) {
      send(res, 500, { error: String(error) });
    }
  })();
});

server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1');
process.on('SIGTERM', () => {
  server.close();
  void pool.end().then(() => process.exit(0));
});
