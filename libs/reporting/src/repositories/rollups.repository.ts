import { Injectable } from '@nestjs/common';
import type { TenantTx } from '@switchboard/platform';
import type { Aggregate } from '../domain/report-builder';
import type { DirtySpan } from '../domain/rollup-spans';
import { run } from './metrics.repository';
import { rollupsSql, type ReportFact, type ReportFilter } from './rollups.sql';

/** Daily rollups, the facts they read besides ticket metrics, and the marks of days to recompute (SQL in `rollups.sql.ts`). */
@Injectable()
export class RollupsRepository {
  async markDirty(tx: TenantTx, spans: readonly DirtySpan[]): Promise<void> {
    if (spans.length > 0) await run(tx, rollupsSql.markDirty(tx.tenantId, spans));
  }

  async markAll(tx: TenantTx): Promise<void> {
    await run(tx, rollupsSql.markAll(tx.tenantId));
  }

  /**
   * Records (or replaces) a fact; answers the spans whose days need recomputing: the fact's and the
   * one it replaced. None when the stored fact is newer (an older event arrived late).
   */
  async saveFact(tx: TenantTx, fact: ReportFact): Promise<DirtySpan[]> {
    const [row] = await run<{ previous_at: Date | null; previous_ends_at: Date | null }>(tx, rollupsSql.upsertFact(tx.tenantId, fact));
    if (!row) return [];
    const iso = (d: Date) => new Date(d).toISOString();
    const spans: DirtySpan[] = [{ from: fact.at, to: fact.endsAt ?? fact.at }];
    if (row.previous_at) {
      const before = { from: iso(row.previous_at), to: iso(row.previous_ends_at ?? row.previous_at) };
      if (before.from !== spans[0]!.from || before.to !== spans[0]!.to) spans.push(before);
    }
    return spans;
  }

  /** Locks the tenant's rollup state; answers the time zone its rows were computed in (`timeZone` for a first run). */
  async lock(tx: TenantTx, timeZone: string): Promise<string> {
    const [row] = await run<{ time_zone: string }>(tx, rollupsSql.lockState(tx.tenantId, timeZone));
    return row!.time_zone;
  }

  async setTimeZone(tx: TenantTx, timeZone: string): Promise<void> {
    await run(tx, rollupsSql.setTimeZone(tx.tenantId, timeZone));
  }

  async takeDirtyDays(tx: TenantTx, timeZone: string): Promise<string[]> {
    return (await run<{ day: string }>(tx, rollupsSql.takeDirtyDays(tx.tenantId, timeZone))).map((r) => r.day);
  }

  /** Replaces the days' rows with a fresh aggregation. */
  async recompute(tx: TenantTx, timeZone: string, days: readonly string[]): Promise<void> {
    if (days.length === 0) return;
    await run(tx, rollupsSql.deleteDays(tx.tenantId, days));
    await run(tx, rollupsSql.insertDays(tx.tenantId, timeZone, days));
  }

  async aggregate(tx: TenantTx, filter: ReportFilter, metrics: readonly string[], percentiles = false): Promise<Aggregate[]> {
    if (metrics.length === 0) return [];
    return run<Aggregate>(tx, rollupsSql.aggregate(filter, metrics, percentiles));
  }

  async backlog(tx: TenantTx, filter: ReportFilter, periods: readonly { period: string; last: string }[]): Promise<Aggregate[]> {
    return run<Aggregate>(
      tx,
      rollupsSql.backlog(
        filter,
        periods.map((p) => p.period),
        periods.map((p) => p.last),
      ),
    );
  }

  async computedAt(tx: TenantTx, from: string, to: string): Promise<string | null> {
    const [row] = await run<{ at: Date | null }>(tx, rollupsSql.computedAt(tx.tenantId, from, to));
    return row?.at ? new Date(row.at).toISOString() : null;
  }
}
