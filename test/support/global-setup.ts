import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../../libs/platform/src/database/embedded/embedded-postgres';
import { loadWordVectorTable } from '../../libs/ai-gateway/src/index';
import { SHARED_EMBEDDINGS_CACHE_DIR } from './embeddings';

/**
 * One fresh embedded database per test run, migrated by the real migration entry point; tests
 * isolate by tenant, and each run gets its own queue prefix on the machine's Redis.
 */
export default async function globalSetup(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-e2e-pg-'));
  const pg = await startEmbeddedPostgres({ dataDir });
  // Asynchronously: the database answers from this very process.
  await promisify(execFile)(process.execPath, ['dist/scripts/migrate.js'], { env: { ...process.env, DATABASE_URL: pg.url } });
  process.env.E2E_DATABASE_URL = pg.url;
  process.env.E2E_REDIS_URL = process.env.E2E_REDIS_URL ?? 'redis://127.0.0.1:6379';
  process.env.E2E_RUN_ID = randomBytes(4).toString('hex');
  process.env.E2E_DATA_DIR = mkdtempSync(join(tmpdir(), 'switchboard-e2e-data-'));
  // The local embedder's word table, prepared once per checkout (a no-op after the first run).
  await loadWordVectorTable({ cacheDir: SHARED_EMBEDDINGS_CACHE_DIR });
  process.env.E2E_EMBEDDINGS_CACHE_DIR = SHARED_EMBEDDINGS_CACHE_DIR;
  (globalThis as { __e2ePg?: { stop(): Promise<void> } }).__e2ePg = pg;
}
