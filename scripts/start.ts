import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { resolveAdminKey, type AdminKey } from './launcher/admin-key';
import { buildAppEnv } from './launcher/app-env';
import { renderBanner, type BannerInfo } from './launcher/banner';
import { resolveDatabase, type Database } from './launcher/database';
import { defaultEntrypoints, missingEntrypoints, type Entrypoints } from './launcher/entrypoints';
import { canResolve, findOnPath } from './launcher/executables';
import { waitForHttpOk } from './launcher/health';
import { LauncherConfigError, loadLauncherConfig, type LauncherConfig } from './launcher/launcher-config';
import { Lifecycle } from './launcher/lifecycle';
import { acquireDataDirLock } from './launcher/lock';
import { createConsoleOutput, type Output, type Tag } from './launcher/output';
import { isPortFree } from './launcher/ports';
import { redactUrl } from './launcher/redact';
import {
  awaitRedisServerReady,
  chooseRedisSource,
  describeRedisSource,
  pingRedis,
  redisDataDir,
  spawnRedisServer,
} from './launcher/redis';
import { recallSeedLines, rememberSeedLines } from './launcher/seed-lines';
import { describeExit, killRunningChildren, ManagedChild, type ExitStatus } from './launcher/supervisor';

/**
 * `npm start`: a Redis and the embedded (or given) PostgreSQL, migrations, the demo seed, then api
 * and worker with their output prefixed, until Ctrl-C. The parts live in scripts/launcher/.
 */

const STOP_GRACE_MS = 10_000;
/** A quiet machine answers in seconds; a loaded 2-core one has taken over a minute (the api's module graph, its database pool). */
const HEALTH_TIMEOUT_MS = 180_000;

export interface LaunchOptions {
  /** Defaults to the compiled scripts next to this one in dist/. */
  entrypoints?: Entrypoints;
  /** Where a local Redis is looked for, and where one is started (tests use a spare port). */
  redisPort?: number;
  exit?: (code: number) => void;
}

interface Context {
  config: LauncherConfig;
  out: Output;
  lifecycle: Lifecycle;
  signal: AbortSignal;
  entrypoints: Entrypoints;
}

export async function launch(config: LauncherConfig, options: LaunchOptions = {}): Promise<void> {
  const startedAt = Date.now();
  const out = createConsoleOutput(config.colorAllowed);
  const lifecycle = new Lifecycle(options.exit ?? ((code) => process.exit(code)), (message) =>
    out.error('start', message),
  );
  handleSignals(lifecycle, out);
  await lifecycle.start(async (signal) => {
    const ctx: Context = {
      config,
      out,
      lifecycle,
      signal,
      entrypoints: options.entrypoints ?? defaultEntrypoints(resolve(__dirname, '..')),
    };
    await preflight(ctx);
    const lock = acquireDataDirLock(config.dataDir);
    lifecycle.onStop('data-dir lock', () => lock.release());

    // Redis first: finding none fails in milliseconds, before a first start's initdb of several seconds.
    const redis = await startRedis(ctx, options.redisPort ?? 6379);
    const database = await timed(ctx, 'db', 'starting the database (a first start initialises its data directory)', () => startDatabase(ctx));
    const adminKey = resolveAdminKey(config);
    reportAdminKey(ctx, adminKey);
    const env = buildAppEnv(config, {
      databaseUrl: database.url,
      redisUrl: redis.url,
      platformAdminKey: adminKey.source === 'none' ? undefined : adminKey.key,
      prettyLogsAvailable: canResolve('pino-pretty'),
      color: out.color,
    });

    await timed(ctx, 'migrate', 'running migrations', () => runMigrations(ctx, env));
    const seed = await timed(ctx, 'seed', 'seeding demo data (a first start also prepares the local embedder’s word table)', () =>
      runSeed(ctx, env, databaseIdentity(database)),
    );
    await timed(ctx, 'start', 'starting the api and the worker', async () => {
      startApps(ctx, env);
      await waitForHttpOk(`http://127.0.0.1:${config.apiPort}/v1/health/live`, {
        timeoutMs: HEALTH_TIMEOUT_MS,
        signal,
      });
    });

    showBanner(ctx, { database, redis, adminKey, seed, startupMs: Date.now() - startedAt });
  });
}

/** A startup step announced before it runs and reported with its duration, so a slow start shows where the time goes. */
async function timed<T>({ out }: Context, tag: Tag, what: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  out.info(tag, `${what}…`);
  const result = await work();
  out.info(tag, `${what.replace(/ \(.*\)$/, '')}: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

function handleSignals(lifecycle: Lifecycle, out: Output): void {
  for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    // Repeats are normal (npm forwards the terminal's Ctrl-C too); the first one decides.
    process.on(name, () => {
      if (lifecycle.stopping) return;
      out.info('start', `${name}: stopping everything`);
      void lifecycle.shutdown(0);
    });
  }
  process.on('uncaughtException', (error) => {
    out.error('start', `launcher error: ${error.stack ?? error.message}`);
    void lifecycle.shutdown(1);
  });
  process.on('unhandledRejection', (reason) => {
    out.error('start', `launcher error: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`);
    void lifecycle.shutdown(1);
  });
  process.on('exit', killRunningChildren);
}

async function preflight({ config, entrypoints }: Context): Promise<void> {
  const missing = missingEntrypoints(entrypoints, process.cwd());
  if (missing.length > 0) {
    throw new Error(`Not built yet: ${missing.join(', ')} missing. Run \`npm run build\` first.`);
  }
  for (const [variable, port] of [
    ['PORT', config.apiPort],
    ['WORKER_PORT', config.workerPort],
  ] as const) {
    if (!(await isPortFree(port, '0.0.0.0'))) {
      throw new Error(`Port ${port} is already in use (another npm start?). Stop that, or set ${variable}.`);
    }
  }
}

async function startDatabase({ config, out, lifecycle, signal }: Context): Promise<Database> {
  const database = await resolveDatabase(config, out);
  if (database.kind === 'embedded') lifecycle.onStop('embedded PostgreSQL', () => database.stop());
  else out.info('db', `using DATABASE_URL ${redactUrl(database.url)}`);
  signal.throwIfAborted();
  return database;
}

async function startRedis(ctx: Context, port: number): Promise<BannerInfo['redis']> {
  const { config, out, lifecycle, signal } = ctx;
  const source = await chooseRedisSource(
    config.redisUrl,
    { ping: (url) => pingRedis(url), findServer: () => findOnPath('redis-server', config.inheritedEnv.PATH) },
    port,
  );
  signal.throwIfAborted();
  out.info('redis', describeRedisSource(source));
  if (source.kind !== 'start-server') return { url: source.url, origin: source.kind };

  const dataDir = redisDataDir(config.dataDir);
  const server = spawnRedisServer(source, dataDir, config.inheritedEnv, out);
  lifecycle.onStop('redis-server', () => server.stop(STOP_GRACE_MS));
  stopAllIfItDies(ctx, server);
  await awaitRedisServerReady(server, source.url, signal);
  out.info('redis', `redis-server ready (pid ${server.pid})`);
  return { url: source.url, origin: 'started', dataDir };
}

function reportAdminKey({ config, out }: Context, adminKey: AdminKey): void {
  if (adminKey.source === 'generated') {
    out.info('start', `generated a platform admin key, kept in ${relative(process.cwd(), adminKey.path!)}`);
  } else if (adminKey.source === 'none') {
    out.info('start', `PLATFORM_ADMIN_KEY is not set (NODE_ENV=${config.nodeEnv}: none is generated)`);
  }
}

async function runMigrations(ctx: Context, env: Record<string, string>): Promise<void> {
  const status = await runScript(ctx, 'migrate', ctx.entrypoints.migrate, env);
  if (status.code !== 0) {
    throw new Error(`Migrations failed: ${relative(process.cwd(), ctx.entrypoints.migrate)} ${describeExit(status)} (its output is above).`);
  }
}

async function runSeed(
  ctx: Context,
  env: Record<string, string>,
  database: string,
): Promise<{ lines: string[]; fromEarlierStart: boolean }> {
  const { config, out, entrypoints } = ctx;
  if (!existsSync(entrypoints.seed)) {
    out.info('seed', `${relative(process.cwd(), entrypoints.seed)} not found; no demo data`);
    return { lines: [], fromEarlierStart: false };
  }
  const lines: string[] = [];
  const status = await runScript(ctx, 'seed', entrypoints.seed, env, (line) => {
    if (line.trim() !== '') lines.push(line);
  });
  if (status.code !== 0) {
    lines.forEach((line) => out.error('seed', line));
    throw new Error(`Seeding failed: ${relative(process.cwd(), entrypoints.seed)} ${describeExit(status)} (its output is above).`);
  }
  if (lines.length > 0) {
    rememberSeedLines(config.dataDir, database, lines);
    return { lines, fromEarlierStart: false };
  }
  return { lines: recallSeedLines(config.dataDir, database), fromEarlierStart: true };
}

/** Runs a one-shot script to completion; it is stopped if the launcher shuts down meanwhile. */
async function runScript(
  { out, signal }: Context,
  tag: Tag,
  path: string,
  env: Record<string, string>,
  onStdoutLine?: (line: string) => void,
): Promise<ExitStatus> {
  const child = new ManagedChild({ tag, command: process.execPath, args: [path], env, onStdoutLine }, out);
  const stop = () => void child.stop(STOP_GRACE_MS);
  signal.addEventListener('abort', stop, { once: true });
  try {
    const status = await child.exited;
    signal.throwIfAborted();
    return status;
  } finally {
    signal.removeEventListener('abort', stop);
  }
}

function startApps(ctx: Context, env: Record<string, string>): void {
  const spawnApp = (tag: 'api' | 'worker', path: string) =>
    new ManagedChild({ tag, command: process.execPath, args: [path], env }, ctx.out);
  const api = spawnApp('api', ctx.entrypoints.api);
  const worker = spawnApp('worker', ctx.entrypoints.worker);
  ctx.lifecycle.onStop('api and worker', () => Promise.all([api.stop(STOP_GRACE_MS), worker.stop(STOP_GRACE_MS)]));
  stopAllIfItDies(ctx, api);
  stopAllIfItDies(ctx, worker);
}

function stopAllIfItDies({ out, lifecycle }: Context, child: ManagedChild): void {
  void child.exited.then((status) => {
    if (lifecycle.stopping || child.stopping) return;
    out.error(child.spec.tag, `${child.spec.tag} ${describeExit(status)} unexpectedly; stopping everything`);
    void lifecycle.shutdown(1);
  });
}

function showBanner(
  { config, out }: Context,
  started: {
    database: Database;
    redis: BannerInfo['redis'];
    adminKey: AdminKey;
    seed: { lines: string[]; fromEarlierStart: boolean };
    startupMs: number;
  },
): void {
  const { database, redis, adminKey, seed, startupMs } = started;
  const showKey = config.nodeEnv !== 'production' && adminKey.source !== 'none';
  out.raw(
    renderBanner({
      apiPort: config.apiPort,
      workerPort: config.workerPort,
      database,
      redis,
      adminKey: showKey ? adminKey.key : undefined,
      seedLines: seed.lines,
      seedLinesFromEarlierStart: seed.fromEarlierStart,
      startupMs,
    }),
  );
}

/** Which database remembered demo credentials belong to. */
function databaseIdentity(database: Database): string {
  return database.kind === 'embedded' ? `embedded:${database.dataDir}` : redactUrl(database.url);
}

function main(): void {
  let config: LauncherConfig;
  try {
    config = loadLauncherConfig();
  } catch (error) {
    if (!(error instanceof LauncherConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(78); // EX_CONFIG, as the apps use
  }
  void launch(config);
}

if (require.main === module) main();
