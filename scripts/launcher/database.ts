import { join } from 'node:path';
import { startEmbeddedPostgres } from '../../libs/platform/src/database/embedded/embedded-postgres';
import type { LauncherConfig } from './launcher-config';
import type { Output } from './output';
import { isPortFree } from './ports';

export type Database =
  | { kind: 'external'; url: string }
  | { kind: 'embedded'; url: string; dataDir: string; stop(): Promise<void> };

export async function resolveDatabase(config: LauncherConfig, out: Output): Promise<Database> {
  if (config.databaseUrl) return { kind: 'external', url: config.databaseUrl };
  return startEmbedded(join(config.dataDir, 'pg'), config.embeddedPgPort, config.embeddedPgSharedBuffers, out);
}

async function startEmbedded(dataDir: string, preferredPort: number, sharedBuffers: string | undefined, out: Output): Promise<Database> {
  const port = await choosePort(preferredPort, out);
  out.info('db', `starting embedded PostgreSQL (PGlite + pgvector), data in ${dataDir}`);
  const startedAt = Date.now();
  // Its maintenance (autovacuum's work, ADR 0001) is logged when a table took a second or more: that long, every client waited.
  const pg = await startEmbeddedPostgres({ dataDir, host: '127.0.0.1', port, sharedBuffers, log: (message) => out.info('db', message), logMinDurationMs: 1_000 });
  out.info('db', `listening on 127.0.0.1:${pg.port} (${Date.now() - startedAt} ms)`);
  return {
    kind: 'embedded',
    url: pg.url,
    dataDir,
    async stop() {
      await pg.stop();
      out.info('db', 'embedded PostgreSQL stopped');
    },
  };
}

async function choosePort(preferred: number, out: Output): Promise<number> {
  if (preferred === 0 || (await isPortFree(preferred))) return preferred;
  out.info('db', `port ${preferred} is taken; letting the OS choose one (set EMBEDDED_PG_PORT to pick another)`);
  return 0;
}
