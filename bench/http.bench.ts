import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import type { Benchmark, BenchContext } from './support/benchmark';
import { startMigratedDatabase } from './support/database';
import { measureLoad, type LoadResult } from './support/load';
import { startBenchApi } from './support/api-process';
import { freePort, startNodeProcess, waitUntilServing, type NodeProcess } from './support/node-process';
import { cpuSeconds } from './support/process-cpu';
import { fixed, renderTable } from './support/table';

/** The api's throughput as a share of bare Nest-on-express's, on each route. */
const TARGET_RATIO = 0.6;
const ROUNDS = 5;
const HOST = '127.0.0.1';
const START_TIMEOUT_MS = 60_000;
const PASSWORD = 'bench password 0123456789';
const TICKETS = 5;

interface Route {
  label: string;
  path: string;
  headers?: Record<string, string>;
}

type ServerName = 'raw' | 'nest' | 'api';
const SERVER_LABELS: Record<ServerName, string> = { raw: 'raw node:http', nest: 'bare Nest', api: 'api' };

interface Server {
  name: ServerName;
  baseUrl: string;
  process: NodeProcess;
}

interface Sample {
  result: LoadResult;
  /** CPU time of the server process per answered request, in µs. */
  cpuUsPerRequest: number;
}

/**
 * The api's whole request pipeline against two baselines, in one run, on the same routes: raw
 * node:http (no framework) and a bare NestJS 12 app on the express adapter (the framework alone),
 * on `GET /v1/health/live` and on an authenticated, tenant-scoped `GET /v1/tickets?limit=1`
 * (both baselines: token check, then the same tenant transaction and query on the same database,
 * `support/tickets-read.ts`). Rounds rotate the order of the servers, so a burst of other work
 * on the machine does not always hit the same one; ratios are taken per round, the verdict uses
 * the median round.
 */
export const httpBenchmark: Benchmark = {
  name: 'http',
  description: 'api request pipeline vs bare Nest on express vs raw node:http (health, authenticated ticket read)',
  async run(context) {
    const { options, cleanup, signal, log } = context;
    const runId = randomBytes(4).toString('hex');
    const adminKey = randomBytes(24).toString('base64url');
    const workDir = await mkdtemp(join(tmpdir(), 'switchboard-bench-http-'));
    cleanup.add('remove work dir', () => rm(workDir, { recursive: true, force: true }));

    const database = await startMigratedDatabase(cleanup, signal, { log });

    log('starting the api…');
    const benchApi = await startBenchApi({
      host: HOST,
      databaseUrl: database.url,
      workDir,
      runId,
      adminKey,
      cleanup,
      env: { RATE_LIMIT_TENANT_PER_MINUTE: '1000000', RATE_LIMIT_AUTH_PER_MINUTE: '100000' },
    });
    await waitUntilServing(`${benchApi.url}/v1/health/live`, benchApi.process, { timeoutMs: START_TIMEOUT_MS, signal });

    log(`creating a tenant, signing in, and creating ${TICKETS} tickets through the api…`);
    const accessToken = await seedTenant(benchApi.url, adminKey, runId);
    const pool = new Pool({ connectionString: database.url, max: 1 });
    const [{ value: jwtKey }] = (await pool.query(`SELECT value FROM platform_secrets WHERE name = 'jwt_signing_key'`)).rows as { value: string }[];
    await pool.end();

    const baselineEnv = { ...process.env, NODE_ENV: 'production', HOST, DATABASE_URL: database.url, JWT_KEY: jwtKey, POOL_SIZE: '10' };
    const [rawPort, nestPort] = [await freePort(), await freePort()];
    const raw = startNodeProcess({ label: 'raw node:http', script: join(__dirname, 'support', 'raw-http-server.js'), env: { ...baselineEnv, PORT: String(rawPort) } }, cleanup);
    const nest = startNodeProcess({ label: 'bare Nest', script: join(__dirname, 'support', 'bare-nest-server.js'), env: { ...baselineEnv, PORT: String(nestPort) } }, cleanup);
    const servers: Server[] = [
      { name: 'raw', baseUrl: `http://${HOST}:${rawPort}`, process: raw },
      { name: 'nest', baseUrl: `http://${HOST}:${nestPort}`, process: nest },
      { name: 'api', baseUrl: benchApi.url, process: benchApi.process },
    ];
    log('starting raw node:http and bare Nest…');
    await Promise.all(servers.map((s) => waitUntilServing(`${s.baseUrl}/v1/health/live`, s.process, { timeoutMs: START_TIMEOUT_MS, signal })));

    const routes: Route[] = [
      { label: 'GET /v1/health/live', path: '/v1/health/live' },
      { label: 'GET /v1/tickets?limit=1 (authenticated)', path: '/v1/tickets?limit=1', headers: { authorization: `Bearer ${accessToken}` } },
    ];
    for (const route of routes) await checkAnswers(servers, route);

    log(
      `load: autocannon, ${options.connections} connections, ${options.warmupSeconds} s warm-up (discarded) + ${options.durationSeconds} s measured per target, ` +
        `${ROUNDS} rounds, servers in a rotating order`,
    );
    const loadBefore = loadavg();
    const samples = new Map<string, Sample[]>();
    for (let round = 0; round < ROUNDS; round++) {
      const order = servers.map((_, i) => servers[(i + round) % servers.length]!);
      for (const route of routes) {
        for (const server of order) {
          log(`  round ${round + 1}/${ROUNDS}  ${server.name.padEnd(4)} ${route.label}…`);
          let cpuBefore = Number.NaN;
          const result = await measureLoad({ url: server.baseUrl + route.path, headers: route.headers, expectStatus: 200 }, options, signal, {
            beforeMeasured: () => (cpuBefore = cpuSeconds(server.process.pid)),
          });
          const cpuUsPerRequest = ((cpuSeconds(server.process.pid) - cpuBefore) * 1e6) / result.responses;
          for (const s of servers) {
            if (s.process.hasExited()) throw new Error(`${s.process.label} exited during the run (${await s.process.exited})\n${s.process.stderrTail()}`);
          }
          const k = key(route, server.name);
          samples.set(k, [...(samples.get(k) ?? []), { result, cpuUsPerRequest }]);
        }
      }
    }
    const loadAfter = loadavg();

    printReport(context, routes, samples, loadBefore, loadAfter);
    const logged = await countLines(benchApi.logPath);
    log(`api log: ${logged.lines} lines, ${(logged.bytes / 1e6).toFixed(1)} MB of JSON (request logging on; health probes are never logged)`);
  },
};

const key = (route: Route, server: ServerName) => `${route.path} ${server}`;
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length % 2 ? sorted[(sorted.length - 1) / 2]! : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;
};

/** A tenant with its owner signed in and a few tickets; returns the owner's access token. */
async function seedTenant(apiUrl: string, adminKey: string, runId: string): Promise<string> {
  const admin = { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' };
  const email = `owner@bench-${runId}.test`;
  const created = await fetch(`${apiUrl}/v1/admin/tenants`, {
    method: 'POST',
    headers: admin,
    body: JSON.stringify({ name: 'Bench', slug: `bench-${runId}`, owner: { email, name: 'Owner', password: PASSWORD } }),
  });
  if (created.status !== 201) throw new Error(`creating a tenant failed: ${created.status} ${await created.text()}`);
  const login = await fetch(`${apiUrl}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD }) });
  if (login.status !== 200) throw new Error(`signing in failed: ${login.status} ${await login.text()}`);
  const { accessToken } = (await login.json()) as { accessToken: string };
  const auth = { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' };
  const contact = await fetch(`${apiUrl}/v1/contacts`, { method: 'POST', headers: auth, body: JSON.stringify({ name: 'Requester', emails: [`requester@bench-${runId}.test`] }) });
  if (contact.status !== 201) throw new Error(`creating a contact failed: ${contact.status} ${await contact.text()}`);
  const { id: requesterId } = (await contact.json()) as { id: string };
  for (let i = 0; i < TICKETS; i++) {
    const ticket = await fetch(`${apiUrl}/v1/tickets`, { method: 'POST', headers: auth, body: JSON.stringify({ subject: `Bench ticket ${i}`, requesterId }) });
    if (ticket.status !== 201) throw new Error(`creating a ticket failed: ${ticket.status} ${await ticket.text()}`);
  }
  return accessToken;
}

/** One request per target before the load: all three must give the same answer, or the numbers mean nothing. */
async function checkAnswers(servers: Server[], route: Route): Promise<void> {
  const bodies: string[] = [];
  for (const server of servers) {
    const res = await fetch(server.baseUrl + route.path, { headers: route.headers });
    const body = await res.text();
    const type = res.headers.get('content-type') ?? '';
    if (res.status !== 200 || !type.startsWith('application/json')) {
      throw new Error(`${server.name} answered ${route.label} with ${res.status} ${type}, expected 200 application/json: ${body.slice(0, 300)}`);
    }
    bodies.push(body);
  }
  if (new Set(bodies).size !== 1) throw new Error(`the servers answer ${route.label} differently:\n${bodies.map((b) => b.slice(0, 400)).join('\n')}`);
}

function printReport(context: BenchContext, routes: Route[], samples: Map<string, Sample[]>, loadBefore: number[], loadAfter: number[]): void {
  const { log, options } = context;
  const names: ServerName[] = ['raw', 'nest', 'api'];
  const rows: string[][] = [];
  const ratioRows: string[][] = [];
  const verdicts: string[] = [];
  for (const route of routes) {
    const of = (name: ServerName) => samples.get(key(route, name))!;
    for (const name of names) {
      const s = of(name);
      const problems = s.reduce((n, x) => n + x.result.unexpected + x.result.errors + x.result.timeouts, 0);
      rows.push([
        name === names[0] ? route.label : '',
        SERVER_LABELS[name],
        fixed(median(s.map((x) => x.result.requestsPerSecond)), 0),
        s.map((x) => fixed(x.result.requestsPerSecond, 0)).join(' / '),
        fixed(median(s.map((x) => x.result.p50Ms)), 2),
        fixed(median(s.map((x) => x.result.p99Ms)), 2),
        fixed(median(s.map((x) => x.cpuUsPerRequest)), 0),
        String(problems),
      ]);
    }
    const perRound = (a: ServerName, b: ServerName) => of(a).map((x, i) => x.result.requestsPerSecond / of(b)[i]!.result.requestsPerSecond);
    const apiNest = perRound('api', 'nest');
    const apiRaw = perRound('api', 'raw');
    const nestRaw = perRound('nest', 'raw');
    const cpuRatio = median(of('nest').map((x) => x.cpuUsPerRequest)) / median(of('api').map((x) => x.cpuUsPerRequest));
    ratioRows.push([
      route.label,
      `${fixed(median(apiNest), 2)} (${apiNest.map((r) => fixed(r, 2)).join(', ')})`,
      fixed(median(apiRaw), 2),
      fixed(median(nestRaw), 2),
      fixed(cpuRatio, 2),
    ]);
    const ratio = median(apiNest);
    verdicts.push(
      ratio >= TARGET_RATIO
        ? `${route.label}: api / bare Nest = ${fixed(ratio, 2)} ≥ ${TARGET_RATIO} — target met`
        : `${route.label}: api / bare Nest = ${fixed(ratio, 2)} < ${TARGET_RATIO} — BELOW TARGET (${fixed((1 - ratio / TARGET_RATIO) * 100, 0)} % short)`,
    );
  }
  const busy = loadBefore[0]! > cpus().length / 2;
  log('');
  log(
    `http pipeline — ${options.connections} connections, ${options.durationSeconds} s per target, ${ROUNDS} rounds, ${cpus().length} cores, node ${process.version}; ` +
      `load average before ${loadBefore.map((l) => l.toFixed(2)).join(' ')}, after ${loadAfter.map((l) => l.toFixed(2)).join(' ')}${busy ? ' (busy machine: figures are noisy)' : ''}`,
  );
  log(renderTable(['route', 'server', 'req/s (median)', 'req/s per round', 'p50 ms', 'p99 ms', 'CPU µs/req', 'bad'], rows));
  log('');
  log(renderTable(['route', 'api / bare Nest (per round)', 'api / raw', 'bare Nest / raw', 'CPU/req bare Nest / api'], ratioRows));
  log('');
  for (const verdict of verdicts) log(verdict);
  log('');
}

async function countLines(path: string): Promise<{ lines: number; bytes: number }> {
  let lines = 0;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines += 1;
  }
  return { lines, bytes: (await stat(path)).size };
}
