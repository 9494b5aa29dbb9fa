import { execFile } from 'node:child_process';
import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { redactUrl } from '../../scripts/launcher/redact';
import { createScratchDatabase } from '../../scripts/scratch-database';
import type { Cleanup } from './cleanup';
import { startNodeProcess } from './node-process';

const MIGRATE = join(__dirname, '..', '..', 'scripts', 'migrate.js');

export interface BenchDatabase {
  url: string;
  /** `embedded`: PGlite in a child process; `external`: a fresh database on BENCH_DATABASE_URL's server. */
  kind: 'embedded' | 'external';
}

/**
 * The bench's database, migrated by the real migration entry point: with `BENCH_DATABASE_URL` set
 * (a PostgreSQL ≥ 15 server with pgvector, a role that may create databases), a fresh database on
 * that server, dropped at cleanup; otherwise a fresh embedded one. `sharedBuffers` sizes the
 * embedded database's buffer cache; a server keeps its own setting.
 */
export async function startMigratedDatabase(cleanup: Cleanup, signal: AbortSignal, options: { sharedBuffers?: string; log?: (line: string) => void } = {}): Promise<BenchDatabase> {
  const server = process.env.BENCH_DATABASE_URL;
  if (server) {
    options.log?.(`creating a database on ${redactUrl(server)} and migrating…`);
    const db = await createScratchDatabase(server, { prefix: 'switchboard_bench', migrateScript: MIGRATE, signal });
    cleanup.add(`drop database ${db.name}`, db.drop);
    return { url: db.url, kind: 'external' };
  }
  options.log?.('starting embedded PostgreSQL and migrating…');
  return { url: await startEmbeddedDatabase(cleanup, signal, options.sharedBuffers), kind: 'embedded' };
}

/**
 * A fresh embedded PostgreSQL in a temp dir, in a child process of its own (as `npm start` runs
 * it, and so autocannon in this process does not steal the database's thread), migrated.
 */
async function startEmbeddedDatabase(cleanup: Cleanup, signal: AbortSignal, sharedBuffers: string | undefined): Promise<string> {
  const dataDir = await mkdtemp(join(tmpdir(), 'switchboard-bench-pg-'));
  cleanup.add('remove database dir', () => rm(dataDir, { recursive: true, force: true }));
  const readyFile = join(dataDir, 'server.out');
  const out = await open(readyFile, 'w');
  const server = startNodeProcess(
    { label: 'embedded postgres', script: join(__dirname, 'embedded-database-server.js'), env: { ...process.env, DATA_DIR: join(dataDir, 'pg'), EMBEDDED_PG_SHARED_BUFFERS: sharedBuffers ?? '' }, stdoutFd: out.fd },
    cleanup,
  );
  await out.close();
  let url: string | undefined;
  for (let waited = 0; !url; waited += 100) {
    if (signal.aborted) throw signal.reason;
    if (server.hasExited()) throw new Error(`embedded postgres exited: ${await server.exited}\n${server.stderrTail()}`);
    if (waited > 60_000) throw new Error('embedded postgres did not start within 60 s');
    url = /^ready (\S+)$/m.exec(await readFile(readyFile, 'utf8'))?.[1];
    if (!url) await sleep(100);
  }
  await promisify(execFile)(process.execPath, [MIGRATE], { env: { ...process.env, DATABASE_URL: url }, signal });
  return url;
}
