import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startEmbeddedPostgres } from '../../libs/platform/src/database/embedded/embedded-postgres';
import { loadConfig, type AppConfig } from '../../libs/platform/src';
import type { AiGatewayConfig } from '../../libs/ai-gateway/src';
import { CONTEXTS } from '../../apps/contexts';

/** What an eval script runs against: a migrated embedded PostgreSQL and the config to reach it. */
export interface EvalDatabase {
  /** The app config on this database, with the script's own settings on top (e.g. EMBEDDINGS_*). */
  config(overrides?: Record<string, string | undefined>): AppConfig & AiGatewayConfig;
}

/**
 * Runs `body` against a fresh, migrated embedded PostgreSQL in a temporary folder, and removes
 * both afterwards. `name` prefixes the folder and each config's queue prefix.
 */
export async function withEvalDatabase<T>(name: string, body: (db: EvalDatabase) => Promise<T>): Promise<T> {
  const dataDir = await mkdtemp(join(tmpdir(), `switchboard-${name}-`));
  const pg = await startEmbeddedPostgres({ dataDir: join(dataDir, 'pg') });
  try {
    await promisify(execFile)(process.execPath, [join(__dirname, '..', 'migrate.js')], { env: { ...process.env, DATABASE_URL: pg.url } });
    return await body({
      config: (overrides = {}) =>
        loadConfig({
          DATABASE_URL: pg.url,
          DATABASE_POOL_SIZE: '2',
          REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
          QUEUE_PREFIX: `${name}-${randomBytes(4).toString('hex')}`,
          DATA_DIR: dataDir,
          LOG_LEVEL: 'warn',
          EMBEDDINGS_CACHE_DIR: process.env.EMBEDDINGS_CACHE_DIR ?? join(process.cwd(), 'node_modules', '.cache', 'switchboard-embeddings'),
          ...overrides,
        }, CONTEXTS) as AppConfig & AiGatewayConfig,
    });
  } finally {
    await pg.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
