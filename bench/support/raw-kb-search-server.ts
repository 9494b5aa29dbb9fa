import { createServer, type ServerResponse } from 'node:http';
import { jwtVerify } from 'jose';
import { Pool } from 'pg';
import { LocalEmbeddingsProvider } from '../../libs/ai-gateway/src';
import { textSearchLanguages } from '../../libs/knowledge-base/src/domain/locale';
import { buildSearchStatement, LEXICAL_POOL_PER_CANDIDATE, searchSettings } from '../../libs/knowledge-base/src/queries/search-articles/search-sql';

/**
 * The baseline for `bench kb`: bare node:http + pg doing what the api does for
 * `GET /v1/kb/search?q=…` — the same token check and membership query, the same query embedding
 * (the local embedder), the same tenant transaction, settings and SQL, sent the same way (BEGIN, the
 * pin with the settings, the search and COMMIT written at once) — with no framework.
 * Env: PORT, HOST, DATABASE_URL, JWT_KEY, EMBEDDINGS_CACHE_DIR, EF_SEARCH (the whole vector's index),
 * PREFIX_CANDIDATES (the search prefix's, ADR 0068: candidates and ef_search; unset: the whole vector's index).
 */
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10, pipeline: true });
const key = new TextEncoder().encode(process.env.JWT_KEY ?? '');
const embedder = new LocalEmbeddingsProvider({ cacheDir: process.env.EMBEDDINGS_CACHE_DIR ?? '.data/models' });
const prefixCandidates = process.env.PREFIX_CANDIDATES ? Number(process.env.PREFIX_CANDIDATES) : null;
const vectorPrefix = prefixCandidates && embedder.searchDimensions ? { dimensions: embedder.searchDimensions, pool: prefixCandidates } : null;
const efSearch = vectorPrefix ? vectorPrefix.pool : Number(process.env.EF_SEARCH ?? 40);
const languages = textSearchLanguages();

const send = (res: ServerResponse, status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));

const server = createServer((req, res) => {
  void (async () => {
    if (req.url === '/health') return send(res, 200, { ok: true });
    const match = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
    if (!match) return send(res, 401, { detail: 'no bearer token' });
    let claims;
    try {
      ({ payload: claims } = await jwtVerify(match[1], key, { algorithms: ['HS256'], issuer: 'switchboard', audience: 'switchboard-api' }));
    } catch (error) {
      return send(res, 401, { detail: `token refused: ${String(error)}` });
    }
    const tenantId = claims.tid as string;
    const membership = await pool.query(`SELECT m.role, t.status FROM memberships m JOIN tenants t ON t.id = m.tenant_id WHERE m.tenant_id = $1 AND m.user_id = $2`, [tenantId, claims.sub]);
    if (!membership.rows[0]) return send(res, 401, { detail: 'no membership' });
    const url = new URL(req.url ?? '/', 'http://x');
    const q = (url.searchParams.get('q') ?? '').trim();
    if (!q) return send(res, 400, {});
    const [v] = await embedder.embed([q]);
    const statement = buildSearchStatement(
      { tenantId, q, vector: `[${Array.from(v).join(',')}]`, vectorPrefix, configs: null, mode: 'hybrid', audience: 'agent', limit: 10, candidates: 40, lexicalPool: 40 * LEXICAL_POOL_PER_CANDIDATE },
      languages,
    )!;
    const settings = Object.entries(searchSettings(efSearch));
    const pin = `SELECT set_config('app.tenant_id', $1, true), set_config('role', $2, true)${settings.map((_, i) => `, set_config($${3 + 2 * i}, $${4 + 2 * i}, true)`).join('')}`;
    const client = await pool.connect();
    try {
      const sent = [
        client.query('BEGIN'),
        client.query(pin, [tenantId, 'switchboard_app', ...settings.flat()]),
        client.query(statement.sql, statement.params),
        client.query('COMMIT'),
      ];
      const settled = await Promise.allSettled(sent);
      const failed = settled.find((r) => r.status === 'rejected');
      if (failed) throw failed.reason;
      send(res, 200, { results: (settled[2] as PromiseFulfilledResult<{ rows: unknown[] }>).value.rows });
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
