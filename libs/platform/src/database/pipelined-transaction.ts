import type { PoolClient } from 'pg';
import { insideTransaction } from './transaction-scope';
import { QueryFailedError, type DataSource, type EntityManager, type QueryRunner } from 'typeorm';

export interface Statement {
  sql: string;
  params?: unknown[];
}

/**
 * Runs `work` in a transaction whose opening statements (BEGIN and, say, the tenant pin) leave
 * together with the work's first statement instead of each waiting for its answer. The pool's
 * clients run in pg's pipeline mode, so a statement is written as soon as it is issued and the
 * answers come back in order.
 *
 * Why: on the embedded database every client shares one backend session, which a transaction
 * holds from BEGIN to COMMIT; each answer the app must read before sending the next statement
 * keeps the session waiting for this process's event loop. Three such turns per request became
 * one (see docs/adr/0005-pipelined-tenant-transactions.md). On a real server it saves the same
 * round trips.
 *
 * If an opening statement fails, the transaction is aborted, so every statement the work sent
 * after it fails too; the opening statement's error is the one reported.
 */
export async function runPipelinedTransaction<T>(dataSource: DataSource, opening: readonly Statement[], work: (manager: EntityManager) => Promise<T>): Promise<T> {
  const runner = dataSource.createQueryRunner();
  try {
    const client = (await runner.connect()) as PoolClient;
    const opened = Promise.all([client.query('BEGIN'), ...opening.map((s) => client.query(s.sql, s.params))]);
    opened.catch(() => undefined); // observed below, after the work
    markInTransaction(runner, true);
    let result: T;
    try {
      result = await insideTransaction('tenant transaction', () => work(runner.manager));
      await opened;
    } catch (error) {
      const openingError = await opened.then(
        () => undefined,
        (e: unknown) => e,
      );
      await client.query('ROLLBACK').catch(() => undefined);
      throw openingError ?? error;
    } finally {
      markInTransaction(runner, false);
    }
    await client.query('COMMIT');
    return result;
  } finally {
    await runner.release();
  }
}

/**
 * Tells TypeORM a transaction is open on this runner, so an entity operation inside the work
 * (`manager.save`, which wraps itself in a transaction when none is open) uses a savepoint
 * instead of a COMMIT of its own. `transactionDepth` is protected in TypeORM's typings.
 */
function markInTransaction(runner: QueryRunner, open: boolean): void {
  const state = runner as unknown as { isTransactionActive: boolean; transactionDepth: number };
  state.isTransactionActive = open;
  state.transactionDepth = open ? 1 : 0;
}

/**
 * One transaction whose statements are all known before any answer is needed: BEGIN, the
 * statements and COMMIT are written at once and answered in one round trip. Returns each
 * statement's rows, in order.
 *
 * Why: `runPipelinedTransaction` still waits for the work's answers before it sends COMMIT, and
 * on the embedded database that turn of the event loop holds the single session. A hot append
 * (the AI gateway's usage row on every call) needs no answer to decide anything.
 *
 * A failing statement aborts the transaction, every statement behind it fails, and the server
 * answers the COMMIT with a rollback; the first failure is the one reported (as TypeORM's
 * QueryFailedError, like every other query's).
 */
export async function runStatementBatch(dataSource: DataSource, statements: readonly Statement[]): Promise<Record<string, unknown>[][]> {
  const runner = dataSource.createQueryRunner();
  try {
    const client = (await runner.connect()) as PoolClient;
    // One socket write for the whole batch (pg corks per statement; corks nest): on a loopback
    // socket the first write can hand the CPU to the database, which would then wake once per
    // statement instead of once per batch.
    const stream = (client as unknown as { connection?: { stream?: { cork?: () => void; uncork?: () => void } } }).connection?.stream;
    stream?.cork?.();
    let sent: Promise<{ command: string; rows: Record<string, unknown>[] }>[];
    try {
      sent = [client.query('BEGIN'), ...statements.map((s) => client.query(s.sql, s.params as unknown[] | undefined)), client.query('COMMIT')];
    } finally {
      stream?.uncork?.();
    }
    const settled = await Promise.allSettled(sent);
    const index = settled.findIndex((r) => r.status === 'rejected');
    if (index >= 0) {
      const failed = statements[index - 1];
      const reason = (settled[index] as PromiseRejectedResult).reason as Error;
      throw failed ? new QueryFailedError(failed.sql, failed.params as unknown[] | undefined, reason) : reason;
    }
    const commit = settled.at(-1) as PromiseFulfilledResult<{ command: string }>;
    if (commit.value.command !== 'COMMIT') throw new Error(`The transaction was not committed (server answered ${commit.value.command})`);
    return settled.slice(1, -1).map((r) => (r as PromiseFulfilledResult<{ rows: Record<string, unknown>[] }>).value.rows);
  } finally {
    await runner.release();
  }
}
