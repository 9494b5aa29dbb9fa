import type { Statement, TenantTx } from '@switchboard/platform';

/** Runs one statement of a `*.sql.ts` file in the handler's transaction and returns its rows. */
export const rowsOf = <R = Record<string, unknown>>(tx: TenantTx, statement: Statement): Promise<R[]> => tx.manager.query(statement.sql, statement.params);

/** `FOR UPDATE` when the caller locks the row for the rest of its transaction. */
export const forUpdate = (lock: boolean) => (lock ? ' FOR UPDATE' : '');
