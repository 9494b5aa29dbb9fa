import type { PoolClient } from 'pg';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';

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
      result = await work(runner.manager);
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
 * Read-only statements in one transaction, written to the connection all at once: BEGIN, the
 * opening statements, the reads and COMMIT leave together, and the answers are awaited only then.
 * `runPipelinedTransaction` still leaves one turn of this process's event loop between the work's
 * answer and its COMMIT, during which the embedded database's one session waits idle for every
 * other client; a read that knows all its statements up front needs no turn at all.
 *
 * If any statement fails, the ones behind it fail too and COMMIT ends the transaction as a
 * rollback; the first error is the one reported. Returns the rows of each read, in order.
 */
export async function runPipelinedReads(dataSource: DataSource, opening: readonly Statement[], reads: readonly Statement[]): Promise<unknown[][]> {
  const runner = dataSource.createQueryRunner();
  try {
    const client = (await runner.connect()) as PoolClient;
    const sent = [client.query('BEGIN'), ...[...opening, ...reads].map((s) => client.query(s.sql, s.params)), client.query('COMMIT')];
    const settled = await Promise.allSettled(sent);
    const failed = settled.find((r) => r.status === 'rejected');
    if (failed) {
      // COMMIT of an aborted transaction rolls it back; only a lost COMMIT leaves one open.
      if (settled[settled.length - 1].status === 'rejected') await client.query('ROLLBACK').catch(() => undefined);
      throw failed.reason;
    }
    return settled.slice(1 + opening.length, -1).map((r) => (r as PromiseFulfilledResult<{ rows: unknown[] }>).value.rows);
  } finally {
    await runner.release();
  }
}
