import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Redis from 'ioredis';
import type { Output } from './output';
import { redactUrl } from './redact';
import { describeExit, ManagedChild } from './supervisor';

export type RedisSource =
  | { kind: 'configured'; url: string }
  | { kind: 'local'; url: string }
  | { kind: 'start-server'; url: string; executable: string; port: number };

export interface RedisProbe {
  /** True when a Redis answers PING at url. */
  ping(url: string): Promise<boolean>;
  /** Path of redis-server if it is on PATH. */
  findServer(): string | undefined;
}

export class RedisUnavailableError extends Error {
  constructor(port: number) {
    super(
      [
        `No Redis found: nothing answers on 127.0.0.1:${port}, REDIS_URL is not set and redis-server is not on PATH.`,
        'Any one of these fixes it:',
        '  - install Redis:       sudo apt-get install redis-server   (npm start then runs it for you)',
        '  - run it in Docker:    docker compose up -d redis',
        '                         (compose reads the whole file: PLATFORM_ADMIN_KEY must be set, any value will do here)',
        '  - point to a Redis:    REDIS_URL=redis://host:6379 npm start',
      ].join('\n'),
    );
    this.name = 'RedisUnavailableError';
  }
}

/** Decides where Redis comes from: REDIS_URL, a local server, or one we start ourselves. */
export async function chooseRedisSource(
  configuredUrl: string | undefined,
  probe: RedisProbe,
  port = 6379,
): Promise<RedisSource> {
  if (configuredUrl) return { kind: 'configured', url: configuredUrl };
  const url = `redis://127.0.0.1:${port}`;
  if (await probe.ping(url)) return { kind: 'local', url };
  const executable = probe.findServer();
  if (executable) return { kind: 'start-server', url, executable, port };
  throw new RedisUnavailableError(port);
}

export async function pingRedis(url: string, timeoutMs = 500): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined); // failures are the answer, not noise
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/** Arguments for a redis-server fit for BullMQ: no eviction, jobs kept across restarts via AOF. */
export function redisServerArgs(port: number, dataDir: string): string[] {
  return [
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--dir', dataDir,
    '--appendonly', 'yes',
    '--maxmemory-policy', 'noeviction',
    '--save', '',
    '--daemonize', 'no',
    '--loglevel', 'warning',
  ];
}

export function describeRedisSource(source: RedisSource): string {
  switch (source.kind) {
    case 'configured':
      return `using REDIS_URL ${redactUrl(source.url)}`;
    case 'local':
      return `using the Redis already answering at ${source.url}`;
    case 'start-server':
      return `nothing answers at ${source.url}`;
  }
}

export function redisDataDir(launcherDataDir: string): string {
  return join(launcherDataDir, 'redis');
}

export function spawnRedisServer(
  source: Extract<RedisSource, { kind: 'start-server' }>,
  dir: string,
  env: Record<string, string>,
  out: Output,
): ManagedChild {
  mkdirSync(dir, { recursive: true });
  out.info('redis', `starting ${source.executable} on 127.0.0.1:${source.port}, data in ${dir}`);
  return new ManagedChild({ tag: 'redis', command: source.executable, args: redisServerArgs(source.port, dir), env }, out);
}

export async function awaitRedisServerReady(
  child: ManagedChild,
  url: string,
  signal: AbortSignal,
  timeoutMs = 10_000,
): Promise<void> {
  if (await waitForRedis(url, timeoutMs, child.exited, signal)) return;
  signal.throwIfAborted();
  const status = await child.stop(2_000);
  throw new Error(`redis-server never answered at ${url}: it ${describeExit(status)}. Is the port used by something else?`);
}

/** Polls until Redis answers; false on timeout, when `gaveUp` settles (the server exited) or on abort. */
export async function waitForRedis(
  url: string,
  timeoutMs: number,
  gaveUp: Promise<unknown>,
  signal?: AbortSignal,
): Promise<boolean> {
  let gone = false;
  void gaveUp.then(() => (gone = true));
  const deadline = Date.now() + timeoutMs;
  while (!gone && !signal?.aborted && Date.now() < deadline) {
    if (await pingRedis(url, 300)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}
