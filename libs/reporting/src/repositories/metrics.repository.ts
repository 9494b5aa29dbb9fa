import { Injectable } from '@nestjs/common';
import type { Statement, TenantTx } from '@switchboard/platform';
import type { ExportCursor, ExportedTicketMetrics } from '../domain/metrics-export';
import type { StatusInterval, TicketMetrics } from '../domain/ticket-metrics';
import { metricsSql, toInterval, toMetrics, type ExportRow, type IntervalRow, type MetricsRow } from './metrics.sql';

/** A ticket marked for the batched recompute, at the version the recompute read. */
export interface DirtyTicket {
  ticketId: string;
  version: number;
}

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

  /** Many tickets' figures and intervals in three statements, whatever their number. */
  async saveMany(tx: TenantTx, tickets: readonly { metrics: TicketMetrics; intervals: readonly StatusInterval[] }[]): Promise<void> {
    if (tickets.length === 0) return;
    await run(
      tx,
      metricsSql.upsertMany(
        tx.tenantId,
        tickets.map((t) => t.metrics),
      ),
    );
    await run(
      tx,
      metricsSql.deleteIntervalsMany(
        tx.tenantId,
        tickets.map((t) => t.metrics.ticketId),
      ),
    );
    const intervals = tickets.flatMap((t) => t.intervals.map((i) => ({ ...i, ticketId: t.metrics.ticketId })));
    if (intervals.length > 0) await run(tx, metricsSql.insertIntervalsMany(tx.tenantId, intervals));
  }

  /** Marks tickets for the batched recompute (in the transaction of the event's receipt). */
  async markDirty(tx: TenantTx, ticketIds: readonly string[]): Promise<void> {
    // One row per ticket: an upsert may not touch a row twice.
    const ids = [...new Set(ticketIds.map((id) => id.toLowerCase()))];
    if (ids.length > 0) await run(tx, metricsSql.markDirty(tx.tenantId, ids));
  }

  /** Up to `limit` marked tickets, locked until the transaction ends, with the version each was read at. */
  async takeDirty(tx: TenantTx, limit: number): Promise<DirtyTicket[]> {
    return (await run<{ ticket_id: string; version: string }>(tx, metricsSql.takeDirty(tx.tenantId, limit))).map((r) => ({ ticketId: r.ticket_id, version: Number(r.version) }));
  }

  /** Clears the marks `taken` consumed; one marked again meanwhile stays for the next batch. */
  async clearDirty(tx: TenantTx, taken: readonly DirtyTicket[]): Promise<void> {
    if (taken.length > 0) await run(tx, metricsSql.clearDirty(tx.tenantId, taken));
  }

  async remove(tx: TenantTx, ticketIds: readonly string[]): Promise<void> {
    if (ticketIds.length > 0) await run(tx, metricsSql.remove(tx.tenantId, ticketIds));
  }

  /** Drops the metrics of tickets in `(after, last]` (open-ended when null) that are not `present`; answers the ones dropped. */
  async removeMissingInRange(tx: TenantTx, after: string | null, last: string | null, present: readonly string[]): Promise<TicketMetrics[]> {
    return (await run<MetricsRow>(tx, metricsSql.removeMissingInRange(tx.tenantId, after, last, present))).map(toMetrics);
  }
}
