import { Injectable } from '@nestjs/common';
import type { Statement, TenantTx } from '@switchboard/platform';
import type { ExportCursor, ExportedTicketMetrics } from '../domain/metrics-export';
import type { StatusInterval, TicketMetrics } from '../domain/ticket-metrics';
import { metricsSql, toInterval, toMetrics, type ExportRow, type IntervalRow, type MetricsRow } from './metrics.sql';

export const run = <R>(tx: TenantTx, s: Statement): Promise<R[]> => tx.manager.query(s.sql, s.params as unknown[] | undefined) as Promise<R[]>;

/** Per-ticket metrics and status intervals (SQL in `metrics.sql.ts`), in the caller's transaction. */
@Injectable()
export class MetricsRepository {
  async find(tx: TenantTx, ticketId: string): Promise<TicketMetrics | undefined> {
    const [row] = await run<MetricsRow>(tx, metricsSql.find(tx.tenantId, ticketId));
    return row ? toMetrics(row) : undefined;
  }

  async findMany(tx: TenantTx, ticketIds: readonly string[]): Promise<TicketMetrics[]> {
    if (ticketIds.length === 0) return [];
    return (await run<MetricsRow>(tx, metricsSql.findMany(tx.tenantId, ticketIds))).map(toMetrics);
  }

  async exportPage(tx: TenantTx, after: ExportCursor | null, limit: number): Promise<ExportedTicketMetrics[]> {
    return (await run<ExportRow>(tx, metricsSql.exportPage(tx.tenantId, after, limit))).map((r) => ({ ...toMetrics(r), computedAt: r.computed_at_text }));
  }

  async databaseTime(tx: TenantTx, overlapSeconds: number): Promise<string> {
    const [row] = await run<{ at: string }>(tx, metricsSql.databaseTime(overlapSeconds));
    return row!.at;
  }

  async intervals(tx: TenantTx, ticketId: string): Promise<StatusInterval[]> {
    return (await run<IntervalRow>(tx, metricsSql.intervals(tx.tenantId, ticketId))).map(toInterval);
  }

  /** The stored intervals of these tickets, by ticket. */
  async intervalsMany(tx: TenantTx, ticketIds: readonly string[]): Promise<Map<string, StatusInterval[]>> {
    const byTicket = new Map<string, StatusInterval[]>();
    if (ticketIds.length === 0) return byTicket;
    for (const row of await run<IntervalRow & { ticket_id: string }>(tx, metricsSql.intervalsMany(tx.tenantId, ticketIds))) {
      const list = byTicket.get(row.ticket_id) ?? [];
      list.push(toInterval(row));
      byTicket.set(row.ticket_id, list);
    }
    return byTicket;
  }

  async save(tx: TenantTx, metrics: TicketMetrics, intervals: readonly StatusInterval[]): Promise<void> {
    await run(tx, metricsSql.upsert(tx.tenantId, metrics));
    await run(tx, metricsSql.deleteIntervals(tx.tenantId, metrics.ticketId));
    await run(tx, metricsSql.insertIntervals(tx.tenantId, metrics.ticketId, intervals));
  }

  async remove(tx: TenantTx, ticketIds: readonly string[]): Promise<void> {
    if (ticketIds.length > 0) await run(tx, metricsSql.remove(tx.tenantId, ticketIds));
  }

  /** Drops the metrics of tickets in `(after, last]` (open-ended when null) that are not `present`; answers the ones dropped. */
  async removeMissingInRange(tx: TenantTx, after: string | null, last: string | null, present: readonly string[]): Promise<TicketMetrics[]> {
    return (await run<MetricsRow>(tx, metricsSql.removeMissingInRange(tx.tenantId, after, last, present))).map(toMetrics);
  }
}
