import { execFile } from 'node:child_process';
import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import type { Cleanup } from './cleanup';
import { startNodeProcess } from './node-process';

/**
 * A fresh embedded PostgreSQL in a temp dir, in a child process of its own (as `npm start` runs
 * it, and so autocannon in this process does not steal the database's thread), migrated by the
 * real migration entry point.
 */
export async function startMigratedDatabase(cleanup: Cleanup, signal: AbortSignal, options: { sharedBuffers?: string } = {}): Promise<{ url: string }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'switchboard-bench-pg-'));
  cleanup.add('remove database dir', () => rm(dataDir, { recursive: true, force: true }));
  const readyFile = join(dataDir, 'server.out');
  const out = await open(readyFile, 'w');
  const server = startNodeProcess(
    { label: 'embedded postgres', script: join(__dirname, 'embedded-database-server.js'), env: { ...process.env, DATA_DIR: join(dataDir, 'pg'), EMBEDDED_PG_SHARED_BUFFERS: options.sharedBuffers ?? '' }, stdoutFd: out.fd },
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
  await promisify(execFile)(process.execPath, [join(__dirname, '..', '..', 'scripts', 'migrate.js')], {
    env: { ...process.env, DATABASE_URL: url },
    signal,
  });
  return { url };
}
