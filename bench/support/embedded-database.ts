import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startEmbeddedPostgres } from '../../libs/platform/src/database/embedded/embedded-postgres';
import type { Cleanup } from './cleanup';

/**
 * A fresh embedded PostgreSQL in a temp dir, migrated by the real migration entry point.
 * Migrations run asynchronously: the database answers from this very process, so a synchronous
 * child call would deadlock it.
 */
export async function startMigratedDatabase(cleanup: Cleanup, signal: AbortSignal): Promise<{ url: string }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'switchboard-bench-pg-'));
  cleanup.add('remove database dir', () => rm(dataDir, { recursive: true, force: true }));
  const pg = await startEmbeddedPostgres({ dataDir });
  cleanup.add('stop embedded postgres', () => pg.stop());
  await promisify(execFile)(process.execPath, [join(__dirname, '..', '..', 'scripts', 'migrate.js')], {
    env: { ...process.env, DATABASE_URL: pg.url },
    signal,
  });
  return { url: pg.url };
}
