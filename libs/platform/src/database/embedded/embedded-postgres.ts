import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { pgcrypto } from '@electric-sql/pglite/contrib/pgcrypto';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { SessionQueue } from './session-queue';

export interface EmbeddedPostgresOptions {
  /** Directory holding the cluster; created on first start. `memory://` keeps nothing. */
  dataDir: string;
  host?: string;
  /** 0 lets the OS choose. */
  port?: number;
  maxConnections?: number;
  /**
   * PostgreSQL `shared_buffers` (e.g. `512MB`); PGlite's 128MB when unset. PGlite reads pages that
   * miss it through the WASM file system, which costs far more than a native server's page-cache
   * read: a knowledge base whose vectors and index outgrow the cache pays that on every search.
   * The memory is taken at start (the process grows by about the size given).
   */
  sharedBuffers?: string;
  /**
   * A connection idle inside a transaction this long has it rolled back and is closed (as
   * PostgreSQL's idle_in_transaction_session_timeout), with its client's other queued connections:
   * one paused process cannot hold the single session every client shares. The apps never wait on
   * the network inside a transaction (ADR 0018), so a healthy client is never idle in one for long:
   * default 2 s; 0 disables.
   */
  idleInTransactionTimeoutMs?: number;
}

/** The embedded server's idle-in-transaction limit unless told otherwise (see idleInTransactionTimeoutMs). */
export const EMBEDDED_IDLE_IN_TRANSACTION_TIMEOUT_MS = 2_000;

/** 16MB to 1GB: PGlite's WASM memory tops out at 2 GB, and the server needs room beside the cache. */
export const SHARED_BUFFERS_PATTERN = /^(?:(?:1[6-9]|[2-9]\d|[1-9]\d{2}|10[01]\d|102[0-4])MB|1GB)$/;

export interface RunningEmbeddedPostgres {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * PostgreSQL 18 compiled to WASM (PGlite) with pgvector, served over the wire protocol so the
 * apps connect with the ordinary `pg` driver exactly as they would to a real server.
 * Every client shares one backend session: see docs/adr/0001-embedded-database.md.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningEmbeddedPostgres> {
  if (!options.dataDir.startsWith('memory://')) mkdirSync(options.dataDir, { recursive: true });
  if (options.sharedBuffers !== undefined && !SHARED_BUFFERS_PATTERN.test(options.sharedBuffers)) {
    throw new Error(`shared_buffers must be from 16MB to 1GB (such as 512MB), got "${options.sharedBuffers}"`);
  }
  const startParams = options.sharedBuffers ? [...PGlite.defaultStartParams, '-c', `shared_buffers=${options.sharedBuffers}`] : undefined;
  const db = await PGlite.create(options.dataDir, { extensions: { vector, pgcrypto, pg_trgm, btree_gist, btree_gin }, ...(startParams ? { startParams } : {}) });
  await db.exec('CREATE EXTENSION IF NOT EXISTS vector; CREATE EXTENSION IF NOT EXISTS pgcrypto;');
  const host = options.host ?? '127.0.0.1';
  const server = new PGLiteSocketServer({
    db,
    host,
    port: options.port ?? 0,
    maxConnections: options.maxConnections ?? 64,
  });
  // Replaces the library's scheduler, which lets concurrent extended-protocol queries interleave
  // (see SessionQueue). Connection handlers pick the queue up from the server when they attach.
  const handlers = (server as unknown as { handlers: Set<{ handlerId: number; handleError(error: Error): void }> }).handlers;
  const close = (handlerId: number) => {
    for (const handler of handlers) if (handler.handlerId === handlerId) handler.handleError(new Error('terminating connection due to idle-in-transaction timeout'));
  };
  (server as unknown as { queryQueue: SessionQueue }).queryQueue = new SessionQueue(db, options.idleInTransactionTimeoutMs ?? EMBEDDED_IDLE_IN_TRANSACTION_TIMEOUT_MS, close);
  await server.start();
  const address = server.getServerConn();
  const port = Number(address.split(':').pop());
  return {
    url: `postgres://postgres:postgres@${host}:${port}/postgres`,
    port,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
