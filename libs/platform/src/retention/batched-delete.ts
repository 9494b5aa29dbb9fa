import type { TenantTransaction } from '../database/tenant-transaction';
import type { Statement } from '../database/pipelined-transaction';

/** Rows per statement: small enough that no transaction holds the embedded database's one session for long. */
export const RETENTION_BATCH = 5_000;

/**
 * Runs a DELETE of at most `limit` rows (the statement applies the limit) in its own short
 * transaction, again and again until a batch deletes fewer; returns how many rows went. Each
 * batch commits on its own, so a run that stops halfway leaves nothing to undo and the next run
 * continues.
 */
export async function deleteInBatches(tx: TenantTransaction, statement: (limit: number) => Statement, limit = RETENTION_BATCH): Promise<number> {
  let total = 0;
  for (;;) {
    const { sql, params } = statement(limit);
    const [, deleted]: [unknown[], number] = await tx.runAsSystem((m) => m.query(sql, params));
    total += deleted;
    if (deleted < limit) return total;
  }
}
