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
  /**
   * How often the server looks for tables that need VACUUM or ANALYZE (PGlite runs no autovacuum
   * launcher; see EmbeddedMaintenance): default 60 s, as PostgreSQL's autovacuum_naptime; 0 disables.
   */
  maintenanceIntervalMs?: number;
  /** Told what maintenance did (a table vacuumed or analysed) or what failed. */
  log?: (message: string) => void;
  /** Only a table's maintenance that took at least this long is logged (as log_autovacuum_min_duration); failures always. */
  logMinDurationMs?: number;
}

/** How often the embedded server looks for tables to vacuum or analyse unless told otherwise. */
export const EMBEDDED_MAINTENANCE_INTERVAL_MS = 60_000;

/** The embedded server's idle-in-transaction limit unless told otherwise (see idleInTransactionTimeoutMs). */
export const EMBEDDED_IDLE_IN_TRANSACTION_TIMEOUT_MS = 2_000;

/** 16MB to 1GB: PGlite's WASM memory tops out at 2 GB, and the server needs room beside the cache. */
export const SHARED_BUFFERS_PATTERN = /^(?:(?:1[6-9]|[2-9]\d|[1-9]\d{2}|10[01]\d|102[0-4])MB|1GB)$/;

export interface RunningEmbeddedPostgres {
  url: string;
  port: number;
  /** One maintenance pass now (what the interval runs): the tables it vacuumed or analysed. */
  maintain(): Promise<MaintenanceAction[]>;
  stop(): Promise<void>;
}

export interface MaintenanceAction {
  table: string;
  action: 'vacuum' | 'analyze';
  ms: number;
}

/**
 * Autovacuum for the embedded server. PGlite runs PostgreSQL as a single backend without the
 * autovacuum launcher, so without this nothing ever vacuums or analyses: dead rows of updated and
 * deleted rows pile up in the tables and their indexes (a table rewritten as often as the reporting
 * worker's status intervals holds several dead versions of each row, and every read walks them),
 * the visibility map stays empty (no index-only scans), and the planner keeps the statistics of
 * whatever moment a table was last analysed, if ever.
 *
 * Each pass reads the table statistics and picks tables as PostgreSQL's autovacuum would with its
 * default settings: VACUUM (ANALYZE) when the dead rows exceed 50 + 20 % of the table's rows or
 * the rows inserted since the last vacuum exceed 1,000 + 20 %; ANALYZE alone when the rows changed
 * since the last analyse exceed 50 + 10 %. Every table is its own turn on the session
 * (SessionQueue.runMaintenance): between two clients' transactions, never inside one, with the
 * waiting clients' units of work going between tables. Unlike a real server's autovacuum it does
 * hold the session while it works on a table (one backend): a big, churned table can pause every
 * client for the time its vacuum takes.
 */
export class EmbeddedMaintenance {
  private running: Promise<MaintenanceAction[]> | null = null;
  private stopped = false;

  constructor(
    private readonly db: PGlite,
    private readonly queue: SessionQueue,
    private readonly log: (message: string) => void,
    private readonly logMinDurationMs = 0,
  ) {}

  /** One pass; a pass still running is joined rather than doubled. */
  pass(): Promise<MaintenanceAction[]> {
    this.running ??= this.run().finally(() => (this.running = null));
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.running?.catch(() => undefined);
  }

  private async run(): Promise<MaintenanceAction[]> {
    const done: MaintenanceAction[] = [];
    if (this.stopped) return done;
    let due: { name: string; vacuum: boolean }[];
    try {
      due = await this.queue.runMaintenance(async () => {
        // The backend sends its counters at most once a second, when it goes idle (a real server's
        // idle timer sends the rest later; PGlite has none): send what is pending, then read.
        await this.db.query('SELECT pg_stat_force_next_flush()');
        return (await this.db.query<{ name: string; vacuum: boolean }>(DUE_TABLES)).rows;
      });
    } catch (error) {
      this.log(`maintenance: could not read table statistics: ${(error as Error).message}`);
      return done;
    }
    for (const { name, vacuum } of due) {
      if (this.stopped) break;
      const started = performance.now();
      try {
        await this.queue.runMaintenance(() => this.db.exec(`${vacuum ? 'VACUUM (ANALYZE)' : 'ANALYZE'} ${name}`));
        const action = { table: name, action: vacuum ? ('vacuum' as const) : ('analyze' as const), ms: Math.round(performance.now() - started) };
        done.push(action);
        if (action.ms >= this.logMinDurationMs) this.log(`maintenance: ${action.action === 'vacuum' ? 'vacuumed and analysed' : 'analysed'} ${name} in ${action.ms} ms`);
      } catch (error) {
        // A table dropped meanwhile, or the server stopping: the next pass looks again.
        this.log(`maintenance: ${vacuum ? 'VACUUM' : 'ANALYZE'} ${name} failed: ${(error as Error).message}`);
      }
    }
    return done;
  }
}

/** Tables due for VACUUM (ANALYZE) or ANALYZE by autovacuum's default thresholds, most changed first. */
const DUE_TABLES = `
  SELECT format('%I.%I', s.schemaname, s.relname) AS name,
         (s.n_dead_tup > 50 + 0.2 * t.rows OR s.n_ins_since_vacuum > 1000 + 0.2 * t.rows) AS vacuum
    FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
   CROSS JOIN LATERAL (SELECT greatest(c.reltuples, 0) AS rows) t
   WHERE s.n_dead_tup > 50 + 0.2 * t.rows OR s.n_ins_since_vacuum > 1000 + 0.2 * t.rows OR s.n_mod_since_analyze > 50 + 0.1 * t.rows
   ORDER BY s.n_dead_tup + s.n_mod_since_analyze DESC`;

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
  const queue = new SessionQueue(db, options.idleInTransactionTimeoutMs ?? EMBEDDED_IDLE_IN_TRANSACTION_TIMEOUT_MS, close);
  (server as unknown as { queryQueue: SessionQueue }).queryQueue = queue;
  await server.start();
  const maintenance = new EmbeddedMaintenance(db, queue, options.log ?? (() => undefined), options.logMinDurationMs ?? 0);
  const intervalMs = options.maintenanceIntervalMs ?? EMBEDDED_MAINTENANCE_INTERVAL_MS;
  const timer = intervalMs > 0 ? setInterval(() => void maintenance.pass(), intervalMs).unref() : null;
  const address = server.getServerConn();
  const port = Number(address.split(':').pop());
  return {
    url: `postgres://postgres:postgres@${host}:${port}/postgres`,
    port,
    maintain: () => maintenance.pass(),
    async stop() {
      if (timer) clearInterval(timer);
      await maintenance.stop();
      await server.stop();
      await db.close();
    },
  };
}
