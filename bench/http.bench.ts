import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Benchmark, BenchContext } from './support/benchmark';
import { startMigratedDatabase } from './support/embedded-database';
import { measureLoad, type LoadResult, type LoadTarget } from './support/load';
import { startBenchApi } from './support/api-process';
import { freePort, startNodeProcess, waitUntilServing, type NodeProcess } from './support/node-process';
import { fixed, renderTable } from './support/table';

/** api throughput on the trivial route, as a share of raw node:http's. */
const TARGET_RATIO = 0.5;
const HOST = '127.0.0.1';
const START_TIMEOUT_MS = 60_000;

interface Route {
  label: string;
  path: string;
  headers?: Record<string, string>;
  expectStatus: number;
  expectType: string;
  /** Whether the target ratio applies; the other rows show what the rest of the pipeline costs. */
  judged: boolean;
}

interface Server {
  name: 'raw' | 'api';
  baseUrl: string;
}

/**
 * The api's request pipeline (request id, helmet, CORS, CLS, pino-http, metrics, guard, pipes,
 * idempotency interceptor, problem filter) on DB-free routes, against bare node:http answering
 * the same JSON, under the same autocannon load in the same run.
 */
export const httpBenchmark: Benchmark = {
  name: 'http',
  description: 'api request pipeline vs raw node:http on DB-free routes',
  async run(context) {
    const { options, cleanup, signal, log } = context;
    const runId = randomBytes(4).toString('hex');
    const adminKey = randomBytes(24).toString('base64url');
    const routes: Route[] = [
      { label: 'GET /v1/health/live', path: '/v1/health/live', expectStatus: 200, expectType: 'application/json', judged: true },
      {
        label: 'GET /v1/admin/probes/not-a-uuid (400)',
        path: '/v1/admin/probes/not-a-uuid',
        headers: { authorization: `Bearer ${adminKey}` },
        expectStatus: 400,
        expectType: 'application/problem+json',
        judged: false,
      },
    ];

    const workDir = await mkdtemp(join(tmpdir(), 'switchboard-bench-http-'));
    cleanup.add('remove work dir', () => rm(workDir, { recursive: true, force: true }));

    log('starting embedded PostgreSQL and migrating…');
    const database = await startMigratedDatabase(cleanup, signal);

    const rawPort = await freePort();
    const benchApi = await startBenchApi({ host: HOST, databaseUrl: database.url, workDir, runId, adminKey, cleanup });
    const { process: api, port: apiPort, logPath: apiLogPath } = benchApi;
    const raw = startNodeProcess(
      {
        label: 'raw node:http',
        script: join(__dirname, 'support', 'raw-http-server.js'),
        env: { ...process.env, NODE_ENV: 'production', HOST, PORT: String(rawPort) },
      },
      cleanup,
    );

    const servers: Server[] = [
      { name: 'raw', baseUrl: `http://${HOST}:${rawPort}` },
      { name: 'api', baseUrl: `http://${HOST}:${apiPort}` },
    ];
    const processes: Record<Server['name'], NodeProcess> = { raw, api };
    log('starting api and raw server…');
    await Promise.all(servers.map((s) => waitUntilServing(`${s.baseUrl}/v1/health/live`, processes[s.name], { timeoutMs: START_TIMEOUT_MS, signal })));
    for (const route of routes) for (const server of servers) await checkAnswer(server, route);

    log(
      `load: autocannon, ${options.connections} connections, ${options.warmupSeconds} s warm-up (discarded) + ${options.durationSeconds} s measured, per target, one after another`,
    );
    // Other work on the machine skews both servers' figures; the report says how busy it was.
    const loadBefore = loadavg()[0];
    const results = new Map<string, LoadResult>();
    for (const route of routes) {
      for (const server of servers) {
        log(`  ${server.name.padEnd(3)} ${route.label}…`);
        const target: LoadTarget = { url: server.baseUrl + route.path, headers: route.headers, expectStatus: route.expectStatus };
        const result = await measureLoad(target, options, signal);
        for (const proc of Object.values(processes)) {
          if (proc.hasExited()) throw new Error(`${proc.label} exited during the run (${await proc.exited})\n${proc.stderrTail()}`);
        }
        results.set(key(route, server), result);
      }
    }

    printReport(context, routes, servers, results, loadBefore);
    const logged = await countLines(apiLogPath);
    log(`api log: ${logged.lines} lines, ${(logged.bytes / 1e6).toFixed(1)} MB of JSON (request logging was on)`);
  },
};

const key = (route: Route, server: Server) => `${route.path} ${server.name}`;

/** One request per target before the load: a wrong answer would make the numbers meaningless. */
async function checkAnswer(server: Server, route: Route): Promise<void> {
  const res = await fetch(server.baseUrl + route.path, { headers: route.headers });
  const body = await res.text();
  const type = res.headers.get('content-type') ?? '';
  if (res.status !== route.expectStatus || !type.startsWith(route.expectType)) {
    throw new Error(
      `${server.name} answered ${route.label} with ${res.status} ${type}, expected ${route.expectStatus} ${route.expectType}: ${body.slice(0, 300)}`,
    );
  }
}

function printReport(context: BenchContext, routes: Route[], servers: Server[], results: Map<string, LoadResult>, loadBefore: number): void {
  const { log, options } = context;
  const rows: string[][] = [];
  const verdicts: string[] = [];
  for (const route of routes) {
    const byServer = Object.fromEntries(servers.map((s) => [s.name, results.get(key(route, s))!])) as Record<Server['name'], LoadResult>;
    const ratio = byServer.api.requestsPerSecond / byServer.raw.requestsPerSecond;
    for (const server of servers) {
      const r = byServer[server.name];
      const problems = r.unexpected + r.errors + r.timeouts;
      rows.push([
        server === servers[0] ? route.label : '',
        server.name,
        fixed(r.requestsPerSecond, 0),
        fixed(r.p50Ms, 2),
        fixed(r.p99Ms, 2),
        String(r.responses),
        problems === 0 ? '0' : `${problems} (${r.unexpected} unexpected, ${r.errors} errors, ${r.timeouts} timeouts)`,
        server.name === 'api' ? fixed(ratio, 2) : '',
      ]);
    }
    if (route.judged) {
      verdicts.push(
        ratio >= TARGET_RATIO
          ? `${route.label}: api/raw = ${fixed(ratio, 2)} ≥ ${TARGET_RATIO} — target met`
          : `${route.label}: api/raw = ${fixed(ratio, 2)} < ${TARGET_RATIO} — BELOW TARGET`,
      );
    } else {
      verdicts.push(`${route.label}: api/raw = ${fixed(ratio, 2)} (informational, no target)`);
    }
  }
  log('');
  log(
    `http pipeline — ${options.connections} connections, ${options.durationSeconds} s per target, ${cpus().length} cores, node ${process.version}, ` +
      `1-min load average before the load ${loadBefore.toFixed(2)}${loadBefore > cpus().length / 2 ? ' (busy machine: figures are noisy)' : ''}`,
  );
  log(renderTable(['route', 'server', 'req/s', 'p50 ms', 'p99 ms', 'responses', 'bad', 'api/raw'], rows));
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
