import { createServer } from 'node:http';
import { jwtVerify } from 'jose';
import { Pool } from 'pg';

/**
 * The baseline for `bench auth`: bare node:http + pg doing what GET /v1/me does — verify the
 * HS256 token, read membership and tenant status, then the tenant transaction (set_config,
 * SET LOCAL ROLE, the same two SELECTs) — with no framework around it. Env: PORT, HOST,
 * DATABASE_URL, JWT_KEY, POOL_SIZE.
 */
// Pipeline mode and a pipelined BEGIN + pin, exactly as the api's tenant transaction.
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.POOL_SIZE ?? 10), pipeline: true });
const key = new TextEncoder().encode(process.env.JWT_KEY ?? '');

const problem = (res: import('node:http').ServerResponse, status: number) => {
  res.writeHead(status, { 'content-type': 'application/problem+json' }).end(JSON.stringify({ status }));
};

const server = createServer((req, res) => {
  void (async () => {
    if (req.url === '/health') return void res.writeHead(200).end('ok');
    const match = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
    if (req.url !== '/v1/me' || !match) return problem(res, 404);
    let claims;
    try {
      ({ payload: claims } = await jwtVerify(match[1], key, { algorithms: ['HS256'], issuer: 'switchboard', audience: 'switchboard-api' }));
    } catch {
      return problem(res, 401);
    }
    const tenantId = claims.tid as string;
    const userId = claims.sub as string;
    const membership = await pool.query(
      `SELECT m.role, t.status FROM memberships m JOIN tenants t ON t.id = m.tenant_id WHERE m.tenant_id = $1 AND m.user_id = $2`,
      [tenantId, userId],
    );
    if (!membership.rows[0]) return problem(res, 401);
    const client = await pool.connect();
    try {
      const opened = Promise.all([client.query('BEGIN'), client.query(`SELECT set_config('app.tenant_id', $1, true), set_config('role', $2, true)`, [tenantId, 'switchboard_app'])]);
      const { rows } = await client.query(
        `SELECT t.id, t.slug, t.name, t.timezone, t.locale, u.id AS user_id, u.email AS user_email, u.name AS user_name
           FROM tenants t LEFT JOIN users u ON u.id = $2 WHERE t.id = $1`,
        [tenantId, userId],
      );
      await opened;
      await client.query('COMMIT');
      const r = rows[0];
      const body = JSON.stringify({ kind: 'user', user: { id: r.user_id, email: r.user_email, name: r.user_name }, tenant: { id: r.id, slug: r.slug, name: r.name, timezone: r.timezone, locale: r.locale }, role: membership.rows[0].role });
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(body);
    } catch {
      await client.query('ROLLBACK').catch(() => undefined);
      problem(res, 500);
    } finally {
      client.release();
    }
  })();
});

server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1');
process.on('SIGTERM', () => {
  server.close();
  void pool.end().then(() => process.exit(0));
});
