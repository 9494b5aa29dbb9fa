import { startEmbeddedPostgres } from '../../libs/platform/src/database/embedded/embedded-postgres';

/**
 * The embedded PostgreSQL in a process of its own, as `npm start` runs it: the load generator
 * must not share a thread with the database it measures. Env: DATA_DIR, EMBEDDED_PG_SHARED_BUFFERS
 * (optional). Prints `ready <url>`.
 */
async function main(): Promise<void> {
  const dataDir = process.env.DATA_DIR;
  if (!dataDir) throw new Error('DATA_DIR is required');
  const pg = await startEmbeddedPostgres({ dataDir, sharedBuffers: process.env.EMBEDDED_PG_SHARED_BUFFERS || undefined });
  process.stdout.write(`ready ${pg.url}\n`);
  const stop = () => void pg.stop().finally(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
