import { createServer, type ServerResponse } from 'node:http';
import { jwtVerify } from 'jose';
import { Pool } from 'pg';
import { LocalEmbeddingsProvider } from '../../libs/ai-gateway/src';
import { buildSearchStatement, SEARCH_PREPARE_SQL } from '../../libs/knowledge-base/src/queries/search-articles/search-sql';

/**
 * The baseline for `bench kb`: bare node:http + pg doing what the api does for
 * `GET /v1/kb/search?q=…` — the same token check and membership query, the same query embedding
 * (the local embedder), the same tenant transaction, settings and SQL — with no framework.
 * Env: PORT, HOST, DATABASE_URL, JWT_KEY, EMBEDDINGS_CACHE_DIR, EF_SEARCH.
 */
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const key = new TextEncoder().encode(process.env.JWT_KEY ?? '');
const embedder = new LocalEmbeddingsProvider({ cacheDir: process.env.EMBEDDINGS_CACHE_DIR ?? '.data/models' });

const send = (res: ServerResponse, status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));

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
    const url = new URL(req.url ?? '/', 'http://x');
    const q = (url.searchParams.get('q') ?? '').trim();
    if (!q) return send(res, 400, {});
    const [v] = await embedder.embed([q]);
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SELECT set_config('app.tenant_id', $1, true), set_config('role', $2, true)`, [tenantId, 'switchboard_app']);
      const [prep] = (await client.query(SEARCH_PREPARE_SQL, [tenantId, process.env.EF_SEARCH ?? '100', false])).rows as { locales: string[] }[];
      // The bench corpus is English only: its locales map to the 'english' configuration.
      const configs = [...new Set(prep.locales.map(() => 'english'))];
      const statement = buildSearchStatement({ tenantId, q, vector: `[${Array.from(v).join(',')}]`, configs, mode: 'hybrid', audience: 'agent', limit: 10, candidates: 40 })!;
      const rows = (await client.query(statement.sql, statement.params)).rows;
      await client.query('COMMIT');
      send(res, 200, { results: rows });
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      send(res, 500, { error: String(error) });
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
