import type { Statement, TenantTx } from '@switchboard/platform';

/** Runs one statement in the handler's transaction (so pipelined with whatever it sent before). */
export function execute<R>(tx: TenantTx, statement: Statement): Promise<R> {
  return tx.manager.query(statement.sql, statement.params as unknown[] | undefined) as Promise<R>;
}
