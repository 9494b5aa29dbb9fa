import type { Statement, TenantTx } from '@switchboard/platform';

/**
 * Runs one statement in the handler's transaction (pipelined with whatever it sent before). TypeORM
 * answers a bare UPDATE/DELETE … RETURNING with [rows, count], so those statements are written as
 * `WITH changed AS (…) SELECT * FROM changed` to come back as rows.
 */
export function execute<R = Record<string, unknown>[]>(tx: TenantTx, statement: Statement): Promise<R> {
  return tx.manager.query(statement.sql, statement.params as unknown[] | undefined) as Promise<R>;
}

export const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());
/** bigint columns arrive as strings; the amounts stored are within Number's safe range. */
export const num = (v: string | number | null): number | null => (v === null ? null : Number(v));
