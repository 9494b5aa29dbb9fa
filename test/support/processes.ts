import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const ADMIN_KEY = 'e2e_platform_admin_key_0123456789';

/**
 * This test file's prefix for queues and Redis keys (each file loads this module afresh): a file's
 * processes get queues of their own, so jobs an earlier file left behind (paced deliveries, retries
 * with backoff) never hold up this file's jobs.
 */
export const QUEUE_PREFIX = `e2e-${process.env.E2E_RUN_ID}-${randomBytes(3).toString('hex')}`;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject).listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function waitFor<T>(probe: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 20_000, signal?: AbortSignal): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline && !signal?.aborted) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    await sleep(100);
  }
  throw new Error(`Timed out waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
}

/** The environment a test process runs with: the run's database, Redis and queue prefix. */
export function baseEnv(overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    NODE_ENV: 'test',
    DATABASE_URL: process.env.E2E_DATABASE_URL,
    DATABASE_POOL_SIZE: '4',
    REDIS_URL: process.env.E2E_REDIS_URL,
    QUEUE_PREFIX,
    PLATFORM_ADMIN_KEY: ADMIN_KEY,
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    DATA_DIR: process.env.E2E_DATA_DIR,
    EMBEDDINGS_CACHE_DIR: process.env.E2E_EMBEDDINGS_CACHE_DIR,
    RATE_LIMIT_AUTH_PER_MINUTE: '1000',
    // Test files run in parallel, all from 127.0.0.1: one address's console handshake budget would be shared by all.
    REALTIME_HANDSHAKES_PER_MINUTE: '100000',
    ...overrides,
  };
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined)) as Record<string, string>;
}

export interface RunningProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Every process a test file started and that has not exited yet. */
const running = new Set<ChildProcess>();

// Whatever a test file leaves running (a start that timed out, a sibling of a start that failed
// inside Promise.all, a test that threw before its stop) is killed after the file's own hooks:
// a leftover api would keep Jest from exiting and hold its ports.
if (typeof afterAll === 'function') {
  afterAll(() => {
    for (const child of running) child.kill('SIGKILL');
  });
}

export function run(command: string, args: string[], env: Record<string, string>): RunningProcess {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    output: () => output,
    exited,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** Aborted once the process has exited: waiting for it to answer is pointless then. */
function gone(proc: RunningProcess): AbortSignal {
  const controller = new AbortController();
  void proc.exited.then(() => controller.abort());
  return controller.signal;
}

export interface RunningApi extends RunningProcess {
  url: string;
}

export async function startApi(overrides: Record<string, string | undefined> = {}): Promise<RunningApi> {
  const port = await freePort();
  const proc = run(process.execPath, ['dist/apps/api/src/main.js'], baseEnv({ PORT: String(port), ...overrides }));
  const url = `http://127.0.0.1:${port}`;
  await Promise.race([
    waitFor(async () => (await fetch(`${url}/v1/health/live`)).ok, 'the api to answer', 120_000, gone(proc)),
    proc.exited.then((code) => {
      throw new Error(`api exited with ${code}:\n${proc.output()}`);
    }),
  ]).catch((error: unknown) => {
    proc.child.kill('SIGKILL');
    throw error;
  });
  return { ...proc, url };
}

export async function startWorker(overrides: Record<string, string | undefined> = {}): Promise<RunningProcess & { healthUrl: string }> {
  const port = await freePort();
  const proc = run(process.execPath, ['dist/apps/worker/src/main.js'], baseEnv({ WORKER_PORT: String(port), ...overrides }));
  const healthUrl = `http://127.0.0.1:${port}/health`;
  await Promise.race([
    waitFor(async () => (await fetch(healthUrl)).ok, 'the worker to consume its queues', 120_000, gone(proc)),
    proc.exited.then((code) => {
      throw new Error(`worker exited with ${code}:\n${proc.output()}`);
    }),
  ]).catch((error: unknown) => {
    proc.child.kill('SIGKILL');
    throw error;
  });
  return { ...proc, healthUrl };
}

/** A private redis-server the test may stop, flush or restart without touching anyone else's. */
export async function startRedis(port?: number): Promise<RunningProcess & { url: string; port: number }> {
  const p = port ?? (await freePort());
  // Under the run's data directory, which the global teardown removes.
  const dir = mkdtempSync(join(process.env.E2E_DATA_DIR ?? tmpdir(), 'redis-'));
  const proc = run('redis-server', ['--port', String(p), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { PATH: process.env.PATH ?? '' });
  await waitFor(async () => /Ready to accept connections/.test(proc.output()), 'redis-server to start', 10_000);
  return { ...proc, url: `redis://127.0.0.1:${p}`, port: p };
}

export function adminHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json', ...extra };
}
