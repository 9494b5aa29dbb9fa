import { Injectable } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { TenantTx } from '@switchboard/platform';
import { TicketTimelinesQuery, type TicketTimeline } from '@switchboard/tickets';
import { dirtySpans, type TicketFootprint } from '../domain/rollup-spans';
import { computeTicketMetrics, type TicketMetrics } from '../domain/ticket-metrics';
import { MetricsRepository } from '../repositories/metrics.repository';
import { RollupsRepository } from '../repositories/rollups.repository';

/** What a recompute changed: the figures before and after. */
export interface MetricsChange {
  before: TicketMetrics[];
  after: TicketMetrics[];
}

/**
 * Recomputes tickets' metrics from their history, read through the tickets context inside the
 * caller's transaction: the worker's batches of marked tickets and the rebuild use this one path.
 * In the same transaction it marks the instants whose local days' rollups the change moved
 * (ADR 0059), so a rollup never misses a committed change and an unchanged recompute marks nothing.
 */
@Injectable()
export class TicketMetricsUpdater {
  constructor(
    private readonly queries: QueryBus,
    private readonly metrics: MetricsRepository,
    private readonly rollups: RollupsRepository,
  ) {}

  async refresh(tx: TenantTx, ticketIds: readonly string[]): Promise<MetricsChange> {
    const ids = [...new Set(ticketIds.map((id) => id.toLowerCase()))];
    const timelines = await this.queries.execute(new TicketTimelinesQuery(tx.tenantId, { ids }));
    const before = await this.footprints(tx, ids);
    const live = new Set(timelines.filter((t) => !t.deleted).map((t) => t.ticketId));
    await this.metrics.remove(
      tx,
      ids.filter((id) => !live.has(id)),
    );
    const after = await this.save(tx, timelines);
    await this.mark(tx, before, after);
    return { before: before.map((f) => f.metrics), after: after.map((f) => f.metrics) };
  }

  /**
   * One batch of the tenant's marked tickets (ADR 0065): up to `limit` marks taken, those tickets
   * recomputed together (one read of their timelines, set-based writes, their days marked for the
   * rollup) and the marks cleared, except any made again since they were read. Answers how many
   * marks it took (fewer than `limit`: none were left).
   */
  async refreshDirty(tx: TenantTx, limit: number): Promise<number> {
    const taken = await this.metrics.takeDirty(tx, limit);
    if (taken.length === 0) return 0;
    await this.refresh(
      tx,
      taken.map((t) => t.ticketId),
    );
    await this.metrics.clearDirty(tx, taken);
    return taken.length;
  }

  /** The next `limit` tickets after `after` in id order; `last` is the last id read (null: the tenant is done, and all its days are rolled up again). */
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
    const saved = await this.save(tx, timelines);
    if (final) await this.rollups.markAll(tx);
    return { before: [...before, ...removed], after: saved.map((f) => f.metrics), read: timelines.length, last: final ? null : last };
  }

  private async footprints(tx: TenantTx, ids: readonly string[]): Promise<TicketFootprint[]> {
    const metrics = await this.metrics.findMany(tx, ids);
    const intervals = await this.metrics.intervalsMany(
      tx,
      metrics.map((m) => m.ticketId),
    );
    return metrics.map((m) => ({ metrics: m, intervals: intervals.get(m.ticketId) ?? [] }));
  }

  private async mark(tx: TenantTx, before: readonly TicketFootprint[], after: readonly TicketFootprint[]): Promise<void> {
    const old = new Map(before.map((f) => [f.metrics.ticketId, f]));
    const now = new Map(after.map((f) => [f.metrics.ticketId, f]));
    const ids = new Set([...old.keys(), ...now.keys()]);
    await this.rollups.markDirty(
      tx,
      [...ids].flatMap((id) => dirtySpans(old.get(id), now.get(id))),
    );
  }

  /** All the tickets' figures and intervals in three statements (one upsert, one delete, one insert), however many they are. */
  private async save(tx: TenantTx, timelines: readonly TicketTimeline[]): Promise<TicketFootprint[]> {
    const saved = timelines.filter((t) => !t.deleted).map((t) => computeTicketMetrics(t));
    await this.metrics.saveMany(tx, saved);
    return saved;
  }
}
