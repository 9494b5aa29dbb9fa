import { Injectable } from '@nestjs/common';
import type { Statement, TenantTx } from '@switchboard/platform';
import type { EntityManager } from 'typeorm';
import type { GaugeCategory, MeterCategory, NewGaugeReport, NewMeterReport, ReconciliationLine, ReportCategory, ReportedSlice } from './meter-slices';
import { meterReportsSql, type BillingCustomerRow, type MeterReportRow, type ReconciliationRow } from './meter-reports.sql';

function rowsOf<R>(result: unknown): R[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as R[];
  return result as R[];
}
const run = async <R>(manager: EntityManager, s: Statement): Promise<R[]> => rowsOf<R>(await manager.query(s.sql, s.params as unknown[] | undefined));

/** Meter reports and reconciliations (SQL in `meter-reports.sql.ts`). Methods taking a manager read every tenant (run as the owner). */
@Injectable()
export class MeterReportsRepository {
  customers(manager: EntityManager): Promise<BillingCustomerRow[]> {
    return run<BillingCustomerRow>(manager, meterReportsSql.customers());
  }

  async usageSince(tx: TenantTx, from: string): Promise<{ day: string; category: string; dimension: string; quantity: number }[]> {
    return (await run<{ day: string; category: string; dimension: string; quantity: string }>(tx.manager, meterReportsSql.usageSince(tx.tenantId, from))).map((r) => ({ ...r, quantity: Number(r.quantity) }));
  }

  async reportedSince(tx: TenantTx, from: string): Promise<ReportedSlice[]> {
    return (await run<{ category: MeterCategory; dimension: string; day: string; quantity: string; seq: number }>(tx.manager, meterReportsSql.reportedSince(tx.tenantId, from))).map((r) => ({ ...r, quantity: Number(r.quantity), seq: Number(r.seq) }));
  }

  /** True when this call decided the report (a concurrent run may have taken the seq first). */
  async insert(tx: TenantTx, report: NewMeterReport | NewGaugeReport, eventName: string, customerId: string): Promise<boolean> {
    return (await run(tx.manager, meterReportsSql.insert(tx.tenantId, report, eventName, customerId))).length === 1;
  }

  async raiseGauge(tx: TenantTx, periodStart: string, category: GaugeCategory, value: number): Promise<number> {
    const [row] = await run<{ high_water: string }>(tx.manager, meterReportsSql.raiseGauge(tx.tenantId, periodStart, category, value));
    return Number(row!.high_water);
  }

  async lastGaugeReport(tx: TenantTx, category: GaugeCategory, periodStart: string): Promise<{ quantity: number; seq: number } | null> {
    const [row] = await run<{ quantity: string; seq: number }>(tx.manager, meterReportsSql.lastGaugeReport(tx.tenantId, category, periodStart));
    return row ? { quantity: Number(row.quantity), seq: Number(row.seq) } : null;
  }

  async gauges(tx: TenantTx, periodStart: string): Promise<Map<GaugeCategory, number>> {
    const rows = await run<{ category: GaugeCategory; high_water: string }>(tx.manager, meterReportsSql.gauges(tx.tenantId, periodStart));
    return new Map(rows.map((r) => [r.category, Number(r.high_water)]));
  }

  pending(manager: EntityManager, limit: number): Promise<MeterReportRow[]> {
    return run<MeterReportRow>(manager, meterReportsSql.pending(limit));
  }

  async sent(tx: TenantTx, identifier: string): Promise<void> {
    await run(tx.manager, meterReportsSql.sent(tx.tenantId, identifier));
  }

  async failed(tx: TenantTx, identifier: string, error: string, rejected: boolean): Promise<void> {
    await run(tx.manager, meterReportsSql.failed(tx.tenantId, identifier, error, rejected));
  }

  ofTenant(tx: TenantTx, limit: number): Promise<MeterReportRow[]> {
    return run<MeterReportRow>(tx.manager, meterReportsSql.ofTenant(tx.tenantId, limit));
  }

  async periodTotals(tx: TenantTx, from: string, to: string): Promise<Omit<ReconciliationLine, 'stripe'>[]> {
    const sums = await run<{ category: MeterCategory; ours: string; reported: string; pending: string }>(tx.manager, meterReportsSql.periodTotals(tx.tenantId, from, to));
    const gauges = await run<{ category: GaugeCategory; ours: string; reported: string; pending: string }>(tx.manager, meterReportsSql.periodGauges(tx.tenantId, from));
    return [...sums, ...gauges].map((r) => ({
      category: r.category,
      ours: Number(r.ours),
      reported: Number(r.reported),
      pending: Number(r.pending),
    }));
  }

  async saveReconciliation(tx: TenantTx, periodStart: string, periodEnd: string, line: ReconciliationLine): Promise<void> {
    await run(tx.manager, meterReportsSql.saveReconciliation(tx.tenantId, periodStart, periodEnd, line));
  }

  reconciliations(manager: EntityManager, limit: number, after: { checkedAt: string; tenantId: string; category: string } | null, differencesOnly: boolean, tenantId: string | null): Promise<ReconciliationRow[]> {
    return run<ReconciliationRow>(manager, meterReportsSql.reconciliations(limit, after, differencesOnly, tenantId));
  }

  async differenceTotals(manager: EntityManager): Promise<{ category: ReportCategory; difference: number; unexplained: number; tenantsUnexplained: number }[]> {
    return (await run<{ category: ReportCategory; difference: string; unexplained: string; tenants_unexplained: string }>(manager, meterReportsSql.differenceTotals())).map((r) => ({
      category: r.category,
      difference: Number(r.difference),
      unexplained: Number(r.unexplained),
      tenantsUnexplained: Number(r.tenants_unexplained),
    }));
  }
}
