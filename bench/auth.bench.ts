import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import type { Benchmark } from './support/benchmark';
import { startMigratedDatabase } from './support/database';
import { measureLoad, type LoadResult } from './support/load';
import { startBenchApi } from './support/api-process';
import { freePort, startNodeProcess, waitUntilServing } from './support/node-process';
import { fixed, renderTable } from './support/table';

const TARGET_RATIO = 0.7;
const TARGET_RLS_COST = 0.1;
const HOST = '127.0.0.1';
const PASSWORD = 'bench password 0123456789';
const RLS_ITERATIONS = 2_000;
const MEMBERS_PER_TENANT = 20;

/**
 * An authenticated, tenant-scoped read (GET /v1/me) through the whole api against a raw node:http
 * + pg server doing the same token check and the same SQL in the same tenant transaction, both
 * on one embedded database; then the cost of row-level security on a tenant query, measured
 * directly with and without the application role.
 */
export const authBenchmark: Benchmark = {
  name: 'auth',
  description: 'GET /v1/me vs raw node:http + pg with the same token check and SQL; RLS cost',
  async run({ options, cleanup, signal, log }) {
    const runId = randomBytes(4).toString('hex');
    const adminKey = randomBytes(24).toString('base64url');
    const workDir = await mkdtemp(join(tmpdir(), 'switchboard-bench-auth-'));
    cleanup.add('remove work dir', () => rm(workDir, { recursive: true, force: true }));
    const database = await startMigratedDatabase(cleanup, signal, { log });

    const rawPort = await freePort();
    const { process: api, url: apiUrl } = await startBenchApi({
      host: HOST,
      databaseUrl: database.url,
      workDir,
      runId,
      adminKey,
      cleanup,
      env: { RATE_LIMIT_TENANT_PER_MINUTE: '1000000', RATE_LIMIT_AUTH_PER_MINUTE: '100000' },
    });
    await waitUntilServing(`${apiUrl}/v1/health/live`, api, { timeoutMs: 60_000, signal });

    log(`creating 2 tenants with ${MEMBERS_PER_TENANT} members each…`);
    const admin = { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' };
    const tenants: string[] = [];
    for (const label of ['alpha', 'beta']) {
      const res = await fetch(`${apiUrl}/v1/admin/tenants`, {
        method: 'POST',
        headers: admin,
        body: JSON.stringify({ name: label, slug: `${label}-${runId}`, owner: { email: `owner@${label}-${runId}.test`, name: 'Owner', password: PASSWORD } }),
      });
      if (res.status !== 201) throw new Error(`creating a tenant failed: ${res.status} ${await res.text()}`);
      const tenant = (await res.json()) as { id: string };
      tenants.push(tenant.id);
      for (let i = 0; i < MEMBERS_PER_TENANT; i++) {
        await fetch(`${apiUrl}/v1/admin/tenants/${tenant.id}/members`, {
          method: 'POST',
          headers: admin,
          body: JSON.stringify({ email: `agent${i}@${label}-${runId}.test`, name: `Agent ${i}`, password: PASSWORD, role: 'agent' }),
        });
      }
    }
    const login = await fetch(`${apiUrl}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: `owner@alpha-${runId}.test`, password: PASSWORD }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };

    const pool = new Pool({ connectionString: database.url, max: 4 });
    cleanup.add('close pool', () => pool.end());
    const [{ value: jwtKey }] = (await pool.query(`SELECT value FROM platform_secrets WHERE name = 'jwt_signing_key'`)).rows as { value: string }[];
    const raw = startNodeProcess(
      {
        label: 'raw node:http + pg',
        script: join(__dirname, 'support', 'raw-auth-server.js'),
        env: { ...process.env, DATABASE_URL: database.url, HOST, PORT: String(rawPort), JWT_KEY: jwtKey, POOL_SIZE: '10' },
      },
      cleanup,
    );
    const rawUrl = `http://${HOST}:${rawPort}`;
    const headers = { authorization: `Bearer ${accessToken}` };
    await waitUntilServing(`${rawUrl}/health`, raw, { timeoutMs: 30_000, signal });
    for (const url of [`${rawUrl}/v1/me`, `${apiUrl}/v1/me`]) {
      const res = await fetch(url, { headers });
      if (res.status !== 200) throw new Error(`${url} answered ${res.status}: ${await res.text()}`);
    }

    const results: { name: string; result: LoadResult }[] = [];
    for (const [name, url] of [
      ['raw node:http + pg', `${rawUrl}/v1/me`],
      ['api GET /v1/me', `${apiUrl}/v1/me`],
    ] as const) {
      log(`loading ${name} for ${options.durationSeconds} s (${options.connections} connections)…`);
      results.push({ name, result: await measureLoad({ url, headers, expectStatus: 200 }, options, signal) });
    }
    const [rawResult, apiResult] = results.map((r) => r.result);
    const ratio = apiResult.requestsPerSecond / rawResult.requestsPerSecond;

    log(`measuring row-level security: ${RLS_ITERATIONS} tenant transactions per query, with and without RLS…`);
    const rlsRows = [];
    for (const [label, sql] of RLS_QUERIES) {
      const rls = await measureRls(pool, tenants[0], sql);
      rlsRows.push({ label, ...rls, cost: 1 - rls.withRls / rls.withoutRls });
    }

    log('');
    log(
      renderTable(
        ['target', 'req/s', 'p50 ms', 'p99 ms', 'non-200', 'errors'],
        results.map(({ name, result }) => [name, fixed(result.requestsPerSecond, 0), fixed(result.p50Ms, 2), fixed(result.p99Ms, 2), String(result.unexpected), String(result.errors + result.timeouts)]),
      ),
    );
    log('');
    log(`ratio api / raw: ${fixed(ratio, 2)} (target ≥ ${TARGET_RATIO}) ${ratio >= TARGET_RATIO ? 'OK' : 'BELOW TARGET'}`);
    log('');
    log(
      renderTable(
        ['RLS: same transaction and query', 'owner tx/s', 'app role tx/s', 'cost', `target ≤ ${TARGET_RLS_COST * 100}%`],
        rlsRows.map((r) => [r.label, fixed(r.withoutRls, 0), fixed(r.withRls, 0), `${fixed(r.cost * 100, 1)}%`, r.cost <= TARGET_RLS_COST ? 'OK' : 'ABOVE TARGET']),
      ),
    );
  },
};

/** A tenant-owned table on its own, and the join through the cross-tenant users table. */
const RLS_QUERIES: readonly [string, string][] = [
  ['audit log page (tenant table)', `SELECT * FROM audit_logs WHERE tenant_id = $1 ORDER BY created_at DESC, id DESC LIMIT 25`],
  ['members with users (join)', `SELECT m.id, m.role, u.email, u.name FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.tenant_id = $1 ORDER BY u.email`],
];

/** The same transaction and query, once as the owner (RLS bypassed) and once as the app role. */
async function measureRls(pool: Pool, tenantId: string, sql: string): Promise<{ withRls: number; withoutRls: number }> {
  const client = await pool.connect();
  const once = async (useRole: boolean) => {
    await client.query('BEGIN');
    // The same statements either way; only whether the role (and so RLS) applies differs.
    await client.query(`SELECT set_config('app.tenant_id', $1, true), set_config('role', $2, true)`, [tenantId, useRole ? 'switchboard_app' : 'none']);
    await client.query(sql, [tenantId]);
    await client.query('COMMIT');
  };
  const rate = async (useRole: boolean) => {
    for (let i = 0; i < 200; i++) await once(useRole); // warm-up
    const start = process.hrtime.bigint();
    for (let i = 0; i < RLS_ITERATIONS; i++) await once(useRole);
    return RLS_ITERATIONS / (Number(process.hrtime.bigint() - start) / 1e9);
  };
  try {
    // Alternate to spread any drift of the machine over both sides.
    const a1 = await rate(false);
    const b1 = await rate(true);
    const a2 = await rate(false);
    const b2 = await rate(true);
    return { withoutRls: (a1 + a2) / 2, withRls: (b1 + b2) / 2 };
  } finally {
    client.release();
  }
}
