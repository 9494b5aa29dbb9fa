import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../../libs/platform/src/database/embedded/embedded-postgres';
import { loadWordVectorTable } from '../../libs/ai-gateway/src/index';
import { createScratchDatabase } from '../../scripts/scratch-database';
import { SHARED_EMBEDDINGS_CACHE_DIR } from './embeddings';

const MIGRATE = 'dist/scripts/migrate.js';

/** What global-teardown.ts stops or drops. */
export interface E2eDatabase {
  stop(): Promise<void>;
}

/**
 * The run's database: with `E2E_DATABASE_URL` set, a fresh database created on that server
 * (PostgreSQL ≥ 15 with pgvector; dropped at teardown); otherwise a fresh embedded one. Either way
 * migrated by the real migration entry point, and `E2E_DATABASE_URL` then names it for the tests.
 */
async function startDatabase(): Promise<{ url: string; kind: 'embedded' | 'external'; handle: E2eDatabase }> {
  const server = process.env.E2E_DATABASE_URL;
  if (server) {
    const db = await createScratchDatabase(server, { prefix: 'switchboard_e2e', migrateScript: MIGRATE });
    return { url: db.url, kind: 'external', handle: { stop: db.drop } };
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-e2e-pg-'));
  // Test files run in parallel processes on a small machine: one starved for 2 s inside a
  // transaction is busy, not hung, so the shared server's idle limit is longer than the product's
  // (the fault suite, on a server of its own, proves the product's 2 s limit).
  // Several files in parallel, each with its own api and worker pools, need more connections than one app.
  const pg = await startEmbeddedPostgres({ dataDir, idleInTransactionTimeoutMs: 15_000, maxConnections: 256 });
  try {
    // Asynchronously: the database answers from this very process.
    await promisify(execFile)(process.execPath, [MIGRATE], { env: { ...process.env, DATABASE_URL: pg.url } });
  } catch (error) {
    await pg.stop();
    throw error;
  }
  const stop = async () => {
    await pg.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { url: pg.url, kind: 'embedded', handle: { stop } };
}

/** One fresh database per test run; tests isolate by tenant, and each run gets its own queue prefix on the machine's Redis. */
export default async function globalSetup(): Promise<void> {
  // The local embedder's word table, prepared once per checkout (a no-op after the first run).
  await loadWordVectorTable({ cacheDir: SHARED_EMBEDDINGS_CACHE_DIR });
  process.env.E2E_EMBEDDINGS_CACHE_DIR = SHARED_EMBEDDINGS_CACHE_DIR;
  const { url, kind, handle } = await startDatabase();
  (globalThis as { __e2ePg?: E2eDatabase }).__e2ePg = handle;
  process.env.E2E_DATABASE_URL = url;
  // Tests that expect different lock behaviour on the two read this (the embedded one serialises sessions).
  process.env.E2E_DATABASE_KIND = kind;
  process.env.E2E_REDIS_URL = process.env.E2E_REDIS_URL ?? 'redis://127.0.0.1:6379';
  process.env.E2E_RUN_ID = randomBytes(4).toString('hex');
  process.env.E2E_DATA_DIR = mkdtempSync(join(tmpdir(), 'switchboard-e2e-data-'));
  (globalThis as { __e2eDataDir?: string }).__e2eDataDir = process.env.E2E_DATA_DIR;
}
