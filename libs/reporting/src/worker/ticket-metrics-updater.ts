import { Injectable } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { TenantTx } from '@switchboard/platform';
import { TicketTimelinesQuery, type TicketTimeline } from '@switchboard/tickets';
import { computeTicketMetrics, type TicketMetrics } from '../domain/ticket-metrics';
import { MetricsRepository } from '../repositories/metrics.repository';

/** What a recompute changed: the figures before and after (daily rollups redo the days either touches). */
export interface MetricsChange {
  before: TicketMetrics[];
  after: TicketMetrics[];
}

/**
 * Recomputes tickets' metrics from their history, read through the tickets context inside the
 * caller's transaction: the worker after each ticket event and the rebuild use this one path.
 */
@Injectable()
export class TicketMetricsUpdater {
  constructor(
    private readonly queries: QueryBus,
    private readonly metrics: MetricsRepository,
  ) {}

  async refresh(tx: TenantTx, ticketIds: readonly string[]): Promise<MetricsChange> {
    const ids = [...new Set(ticketIds.map((id) => id.toLowerCase()))];
    const timelines = await this.queries.execute(new TicketTimelinesQuery(tx.tenantId, { ids }));
    const before = await this.metrics.findMany(tx, ids);
    const live = new Set(timelines.filter((t) => !t.deleted).map((t) => t.ticketId));
    await this.metrics.remove(
      tx,
      ids.filter((id) => !live.has(id)),
    );
    return { before, after: await this.save(tx, timelines) };
  }

  /** The next `limit` tickets after `after` in id order; `last` is the last id read (null: the tenant is done). */
  async rebuildBatch(tx: TenantTx, after: string | null, limit: number): Promise<MetricsChange & { read: number; last: string | null }> {
    const timelines = await this.queries.execute(new TicketTimelinesQuery(tx.tenantId, { after, limit }));
    const final = timelines.length < limit;
    const last = timelines.at(-1)?.ticketId ?? null;
    const before = await this.metrics.findMany(
      tx,
      timelines.map((t) => t.ticketId),
    );
    const removed = await this.metrics.removeMissingInRange(
      tx,
      after,
      final ? null : last,
      timelines.filter((t) => !t.deleted).map((t) => t.ticketId),
    );
    return { before: [...before, ...removed], after: await this.save(tx, timelines), read: timelines.length, last: final ? null : last };
  }

  private async save(tx: TenantTx, timelines: readonly TicketTimeline[]): Promise<TicketMetrics[]> {
    const saved: TicketMetrics[] = [];
    for (const timeline of timelines) {
      if (timeline.deleted) continue;
      const { metrics, intervals } = computeTicketMetrics(timeline);
      await this.metrics.save(tx, metrics, intervals);
      saved.push(metrics);
    }
    return saved;
  }
}
