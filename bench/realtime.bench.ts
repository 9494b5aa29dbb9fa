import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import type { Benchmark } from './support/benchmark';
import { startBenchApi, type BenchApi } from './support/api-process';
import type { Cleanup } from './support/cleanup';
import { startMigratedDatabase } from './support/database';
import { freePort, startNodeProcess, waitUntilServing } from './support/node-process';
import { fixed, renderTable } from './support/table';

const HOST = '127.0.0.1';
const PASSWORD = 'bench password 0123456789';
const AGENTS = 50;
const BROADCAST_SOCKETS = 500;
const BROADCAST_EVENTS = 200;
const TARGET_P50_MS = 15;
const TARGET_P99_MS = 50;
const TARGET_THROUGHPUT_RATIO = 0.85;

interface LatencyResult {
  label: string;
  samples: number[];
  early: number;
  missing: number;
}

const percentile = (sorted: number[], q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] : Number.NaN);

function connect(url: string, options: { auth?: Record<string, string> } = {}): Promise<Socket> {
  const socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false, ...options });
  return new Promise((resolve, reject) => {
    socket.once(options.auth ? 'session.ready' : 'connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

/**
 * Command → console latency for 50 agents of one tenant: the reply is posted through `postTo`, the
 * agents listen on `listenOn`. Posts go one at a time, so each latency is the push alone. Latency
 * counts from the moment the HTTP response arrived; pushes that beat the response (the push is
 * sent right after commit, the response a little later) count as 0 and are reported as "early".
 */
async function measureCommandToConsole(label: string, postTo: BenchApi, listenOn: BenchApi, token: string, ticketId: string, messages: number): Promise<LatencyResult> {
  const sockets = await Promise.all(Array.from({ length: AGENTS }, () => connect(`${listenOn.url}/agents`, { auth: { token } })));
  const receipts = new Map<string, number[]>();
  for (const s of sockets) {
    s.on('ticket.message_added', (e: { message: { id: string } }) => {
      const list = receipts.get(e.message.id) ?? [];
      list.push(performance.now());
      receipts.set(e.message.id, list);
    });
  }
  const responses = new Map<string, number>();
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  for (let i = 0; i < messages; i++) {
    const res = await fetch(`${postTo.url}/v1/tickets/${ticketId}/messages`, { method: 'POST', headers, body: JSON.stringify({ body: `reply ${i}`, visibility: 'internal' }) });
    const at = performance.now();
    if (res.status !== 201) throw new Error(`POST messages → ${res.status}: ${await res.text()}`);
    responses.set(((await res.json()) as { id: string }).id, at);
  }
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline && [...responses.keys()].some((id) => (receipts.get(id)?.length ?? 0) < AGENTS)) await new Promise((r) => setTimeout(r, 20));
  for (const s of sockets) s.disconnect();
  const samples: number[] = [];
  let early = 0;
  let missing = 0;
  for (const [id, at] of responses) {
    const got = receipts.get(id) ?? [];
    missing += AGENTS - got.length;
    for (const r of got) {
      if (r < at) early++;
      samples.push(Math.max(0, r - at));
    }
  }
  return { label, samples: samples.sort((a, b) => a - b), early, missing };
}

interface BroadcastResult {
  label: string;
  deliveries: number;
  seconds: number;
  latencies: number[];
}

/** A broadcast of BROADCAST_EVENTS to BROADCAST_SOCKETS clients, emitted by `emitter`, received through `receiver`. */
async function measureBroadcast(label: string, emitterPort: number, receiverPort: number): Promise<BroadcastResult> {
  const sockets: Socket[] = [];
  for (let i = 0; i < BROADCAST_SOCKETS; i += 50) sockets.push(...(await Promise.all(Array.from({ length: 50 }, () => connect(`http://${HOST}:${receiverPort}`)))));
  while (Number(await (await fetch(`http://${HOST}:${receiverPort}/health`)).text()) < BROADCAST_SOCKETS) await new Promise((r) => setTimeout(r, 20));
  // Warm-up round, discarded.
  await runBroadcast(sockets, emitterPort, 20);
  const result = await runBroadcast(sockets, emitterPort, BROADCAST_EVENTS);
  for (const s of sockets) s.disconnect();
  return { label, ...result };
}

async function runBroadcast(sockets: Socket[], emitterPort: number, count: number): Promise<{ deliveries: number; seconds: number; latencies: number[] }> {
  const expected = sockets.length * count;
  const latencies: number[] = [];
  let last = 0;
  const done = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 30_000);
    for (const s of sockets) {
      s.removeAllListeners('tick');
      s.on('tick', (e: { t: number }) => {
        const now = Date.now();
        latencies.push(now - e.t);
        last = performance.now();
        if (latencies.length === expected) {
          clearTimeout(timer);
          resolve();
        }
      });
    }
  });
  const start = performance.now();
  await fetch(`http://${HOST}:${emitterPort}/broadcast?count=${count}&bytes=200`);
  await done;
  return { deliveries: latencies.length, seconds: (last - start) / 1000, latencies: latencies.sort((a, b) => a - b) };
}

async function startRawServer(label: string, adapter: 'memory' | 'redis', key: string, cleanup: Cleanup, signal: AbortSignal): Promise<number> {
  const port = await freePort();
  const child = startNodeProcess(
    { label, script: join(__dirname, 'support', 'raw-socket-server.js'), env: { ...process.env, RAW_PORT: String(port), RAW_ADAPTER: adapter, RAW_KEY: key } },
    cleanup,
  );
  await waitUntilServing(`http://${HOST}:${port}/health`, child, { timeoutMs: 20_000, signal });
  return port;
}

/**
 * The agent console's push path: from a command's HTTP response to 50 consoles via a second api
 * process (Redis adapter), against one api process on the in-memory adapter; and a raw broadcast
 * to 500 sockets through the Redis adapter (emitted in one process, delivered by another) against
 * the in-memory adapter in one process.
 */
export const realtimeBenchmark: Benchmark = {
  name: 'realtime',
  description: 'command → 50 consoles across two api processes (Redis adapter) vs one (in-memory); broadcast to 500 sockets',
  async run({ options, cleanup, signal, log }) {
    const runId = randomBytes(4).toString('hex');
    const adminKey = randomBytes(24).toString('base64url');
    const workDir = await mkdtemp(join(tmpdir(), 'switchboard-bench-realtime-'));
    cleanup.add('remove work dir', () => rm(workDir, { recursive: true, force: true }));
    const database = await startMigratedDatabase(cleanup, signal, { log });
    const env = { RATE_LIMIT_TENANT_PER_MINUTE: '1000000', RATE_LIMIT_AUTH_PER_MINUTE: '100000', RATE_LIMIT_IP_PER_MINUTE: '1000000', DATA_DIR: workDir, HTTP_LOG_REQUESTS: 'false' };
    const start = (suffix: string, extra: Record<string, string> = {}) =>
      startBenchApi({ host: HOST, databaseUrl: database.url, workDir: join(workDir), runId: `${runId}${suffix}`, adminKey, cleanup, env: { ...env, ...extra } });
    const a = await start('');
    const b = await start('');
    const solo = await start('-solo', { REALTIME_ADAPTER: 'memory' });
    for (const api of [a, b, solo]) await waitUntilServing(`${api.url}/v1/health/live`, api.process, { timeoutMs: 60_000, signal });

    const admin = { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' };
    await fetch(`${a.url}/v1/admin/tenants`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ name: 'Realtime', slug: `rt-${runId}`, owner: { email: `owner@rt-${runId}.test`, name: 'Owner', password: PASSWORD } }),
    });
    const { accessToken } = (await (await fetch(`${a.url}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: `owner@rt-${runId}.test`, password: PASSWORD }),
    })).json()) as { accessToken: string };
    const ticket = (await (await fetch(`${a.url}/v1/tickets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ subject: 'bench', requester: { email: 'bench@customer.example' } }),
    })).json()) as { id: string };

    const messages = Math.max(50, options.durationSeconds * 20);
    log(`command → console: ${messages} replies, ${AGENTS} agents each…`);
    await measureCommandToConsole('warm-up', a, b, accessToken, ticket.id, 20);
    const probe = await measureCommandToConsole('probe', a, b, accessToken, ticket.id, 3);
    if (probe.missing > 0) log(`api B stderr: ${b.process.stderrTail()}\napi A stderr: ${a.process.stderrTail()}`);
    const cross = await measureCommandToConsole('POST on api A → 50 agents on api B (Redis adapter)', a, b, accessToken, ticket.id, messages);
    await measureCommandToConsole('warm-up', solo, solo, accessToken, ticket.id, 20);
    const local = await measureCommandToConsole('POST and 50 agents on one api (in-memory adapter)', solo, solo, accessToken, ticket.id, messages);

    log(`broadcast: ${BROADCAST_EVENTS} events × ${BROADCAST_SOCKETS} sockets…`);
    const memoryPort = await startRawServer('raw-memory', 'memory', `bench-raw-${runId}`, cleanup, signal);
    const memory = await measureBroadcast('in-memory adapter, one process', memoryPort, memoryPort);
    const emitterPort = await startRawServer('raw-redis-1', 'redis', `bench-raw-${runId}`, cleanup, signal);
    const receiverPort = await startRawServer('raw-redis-2', 'redis', `bench-raw-${runId}`, cleanup, signal);
    const redis = await measureBroadcast('Redis adapter, emitted in another process', emitterPort, receiverPort);
    const redisLocal = await measureBroadcast('Redis adapter, emitted in the same process', receiverPort, receiverPort);

    log('');
    log(
      renderTable(
        ['command → console', 'samples', 'p50 ms', 'p99 ms', 'max ms', 'before response', 'missing'],
        [cross, local].map((r) => [r.label, String(r.samples.length), fixed(percentile(r.samples, 0.5), 2), fixed(percentile(r.samples, 0.99), 2), fixed(r.samples.at(-1) ?? NaN, 2), `${fixed((100 * r.early) / Math.max(1, r.samples.length), 0)} %`, String(r.missing)]),
      ),
    );
    log('');
    log(
      renderTable(
        ['broadcast to 500 sockets', 'deliveries', 'messages/s', 'p50 ms', 'p99 ms'],
        [memory, redis, redisLocal].map((r) => [r.label, String(r.deliveries), fixed(r.deliveries / r.seconds, 0), fixed(percentile(r.latencies, 0.5), 1), fixed(percentile(r.latencies, 0.99), 1)]),
      ),
    );
    const p50 = percentile(cross.samples, 0.5);
    const p99 = percentile(cross.samples, 0.99);
    // The adapter's cost is judged on the worse of the two Redis cases.
    const rate = (r: BroadcastResult) => r.deliveries / r.seconds;
    const ratio = Math.min(rate(redis), rate(redisLocal)) / rate(memory);
    log('');
    log(`across processes: p50 ${fixed(p50, 2)} ms (target < ${TARGET_P50_MS}) ${p50 < TARGET_P50_MS ? 'OK' : 'ABOVE TARGET'}; p99 ${fixed(p99, 2)} ms (target < ${TARGET_P99_MS}) ${p99 < TARGET_P99_MS ? 'OK' : 'ABOVE TARGET'}`);
    log(`broadcast throughput Redis/in-memory ${fixed(ratio, 2)} (target ≥ ${TARGET_THROUGHPUT_RATIO}) ${ratio >= TARGET_THROUGHPUT_RATIO ? 'OK' : 'BELOW TARGET'}`);
  },
};
