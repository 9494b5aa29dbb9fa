/**
 * Operators' statistics (`GET /v1/admin/stats`): each context contributes the sections about what
 * it owns, declared in its `<context>.context.ts` beside its other registrations; the platform
 * runs them and names no context. A section must answer from cheap counters, rollups or bounded
 * index ranges, never from a scan that grows with the data (docs/adr/0050-operator-statistics.md).
 */

/** Read-only SQL over every tenant's rows (the platform runs sections as the owner role, outside any tenant). */
export interface StatsReader {
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<R[]>;
}

/** What every section answers about: the last `days` UTC days (today included), lists capped at `top`. */
export interface OperatorStatsWindow {
  /** Midnight UTC of the first day. */
  readonly from: Date;
  readonly to: Date;
  readonly days: number;
  readonly top: number;
}

export interface OperatorStatsSection<T = unknown> {
  /** The key of the section in the answer: lower camelCase, unique across contexts. */
  readonly name: string;
  /** One line for operators (the OpenAPI description lists them). */
  readonly description: string;
  readonly collect: (db: StatsReader, window: OperatorStatsWindow) => Promise<T>;
}

export const OPERATOR_STATS_SECTION_NAME = /^[a-z][A-Za-z0-9]{0,39}$/;

export function defineOperatorStats<T>(section: OperatorStatsSection<T>): OperatorStatsSection<T> {
  return section;
}

export const OPERATOR_STATS_DAYS = 30;
export const OPERATOR_STATS_TOP = 50;

/** The window ending at `now`: 30 UTC days, today included. */
export function operatorStatsWindow(now: Date, days = OPERATOR_STATS_DAYS, top = OPERATOR_STATS_TOP): OperatorStatsWindow {
  const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - (days - 1)));
  return { from, to: now, days, top };
}

/** `YYYY-MM-DD` of each day of the window, oldest first. */
export function windowDays(window: OperatorStatsWindow): string[] {
  return Array.from({ length: window.days }, (_, i) => new Date(window.from.getTime() + i * 86_400_000).toISOString().slice(0, 10));
}

/**
 * Per-day series with every day of the window present (0 where no row), oldest first. `rows` carry
 * `day` (`YYYY-MM-DD`) and the counted columns; days outside the window are dropped.
 */
export function dailySeries<K extends string>(window: OperatorStatsWindow, keys: readonly K[], rows: readonly ({ day: string } & Partial<Record<K, unknown>>)[]): ({ day: string } & Record<K, number>)[] {
  const byDay = new Map<string, Record<K, number>>();
  for (const day of windowDays(window)) byDay.set(day, Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>);
  for (const row of rows) {
    const entry = byDay.get(row.day);
    if (!entry) continue;
    for (const key of keys) entry[key] += Number(row[key] ?? 0);
  }
  return [...byDay].map(([day, counts]) => ({ day, ...counts }));
}

/**
 * The row count of a table without counting when it is large: Postgres's own estimate
 * (`pg_class.reltuples`, kept by VACUUM/ANALYZE) at or above `exactBelow` rows, an exact count
 * below it (cheap there). `estimated` says which one answered.
 */
export async function tableRowCount(db: StatsReader, table: string, exactBelow = 100_000): Promise<{ count: number; estimated: boolean }> {
  const [row] = await db.query<{ estimate: string | null }>(`SELECT c.reltuples::bigint AS estimate FROM pg_class c WHERE c.oid = to_regclass($1)`, [table]);
  const estimate = row?.estimate == null ? -1 : Number(row.estimate);
  if (estimate >= exactBelow) return { count: estimate, estimated: true };
  const [exact] = await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${quoteIdent(table)}`);
  return { count: Number(exact?.n ?? 0), estimated: false };
}

function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Not a table name: ${name}`);
  return `"${name}"`;
}
