import type { PoolClient } from 'pg';

export interface TimedStatement {
  sql: string;
  params?: unknown[];
}

/**
 * Runs single statements as the api runs them — one transaction, the tenant pinned, the
 * application role (so row-level security applies) — or, `underPolicy` false, as the superuser
 * without the policy (the "raw SQL" baseline of a bench).
 */
export function statementTimer(client: PoolClient, tenantId: string) {
  const pin = (c: PoolClient) => c.query(`SELECT set_config('app.tenant_id', $1, true), set_config('role', 'switchboard_app', true)`, [tenantId]);
  return {
    pin,
    /** Milliseconds from BEGIN to COMMIT, and the rows the statement returned. */
    async timed(statement: TimedStatement, underPolicy: boolean): Promise<{ ms: number; rows: number }> {
      const t0 = performance.now();
      await client.query('BEGIN');
      if (underPolicy) await pin(client);
      const { rowCount } = await client.query(statement.sql, statement.params);
      await client.query('COMMIT');
      return { ms: performance.now() - t0, rows: rowCount ?? 0 };
    },
    /** EXPLAIN ANALYZE lines of the statement, run the same way and rolled back. */
    async explain(statement: TimedStatement, underPolicy: boolean): Promise<string[]> {
      await client.query('BEGIN');
      if (underPolicy) await pin(client);
      const plan = (await client.query(`EXPLAIN (ANALYZE, BUFFERS OFF, TIMING OFF, COSTS OFF) ${statement.sql}`, statement.params)).rows.map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN']);
      await client.query('ROLLBACK');
      return plan;
    },
  };
}

/** Nearest-rank percentile (p in 0–100) of unsorted values. */
export function percentileOf(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((sorted.length * p) / 100) - 1)]!;
}
