import { createHash } from 'node:crypto';

/** Usage summed by its Stripe meter (`default_aggregation.formula = sum`): reported as deltas of day slices. */
export const METER_CATEGORIES = ['api_requests', 'ai_tokens'] as const;
export type MeterCategory = (typeof METER_CATEGORIES)[number];
/** Levels whose period high-water is billed (`formula = last`): reported as the new high-water when it rises. */
export const GAUGE_CATEGORIES = ['storage_bytes', 'seats'] as const;
export type GaugeCategory = (typeof GAUGE_CATEGORIES)[number];
export type ReportCategory = MeterCategory | GaugeCategory;
export const REPORT_CATEGORIES: readonly ReportCategory[] = [...METER_CATEGORIES, ...GAUGE_CATEGORIES];

/** How far back a slice may still be reported: Stripe takes event timestamps up to 35 days old. */
export const METER_WINDOW_DAYS = 34;

/** A slice of usage: one tenant's day of a category (API requests all together, AI tokens per model), cumulative. */
export interface UsageSlice {
  category: MeterCategory;
  /** '' for API requests (endpoint groups are not billed apart); the model for AI tokens. */
  dimension: string;
  day: string;
  quantity: number;
}

/** What was decided for a slice so far: the sum of its reports (whatever their status) and the last sequence number. */
export interface ReportedSlice extends UsageSlice {
  seq: number;
}

/** One meter event to send: the delta of a slice since its last report. */
export interface NewMeterReport extends UsageSlice {
  seq: number;
  identifier: string;
  /** The event's timestamp: now for today's slice, the slice's last second for an earlier day (so it lands in the right period). */
  eventAt: string;
}

/**
 * Stripe's identifier of a meter event, deterministic in (tenant, category, dimension, day, seq):
 * a retry of the same report sends the same identifier, so Stripe counts it once; the next delta
 * of the slice has the next seq. Hashed to stay within Stripe's 100 characters whatever the model name.
 */
export function meterIdentifier(tenantId: string, category: ReportCategory, dimension: string, day: string, seq: number): string {
  const digest = createHash('sha256').update(`${tenantId}\u0000${category}\u0000${dimension}\u0000${day}\u0000${seq}`).digest('hex');
  return `sbm_${day.replaceAll('-', '')}_${seq}_${digest.slice(0, 40)}`;
}

/** Daily usage rows (by endpoint group or model) as the slices that are reported. */
export function slicesOf(rows: readonly { day: string; category: string; dimension: string; quantity: number }[]): UsageSlice[] {
  const slices = new Map<string, UsageSlice>();
  for (const row of rows) {
    if (!(METER_CATEGORIES as readonly string[]).includes(row.category)) continue;
    const category = row.category as MeterCategory;
    const dimension = category === 'ai_tokens' ? row.dimension : '';
    const key = `${category}\u0000${dimension}\u0000${row.day}`;
    const slice = slices.get(key) ?? { category, dimension, day: row.day, quantity: 0 };
    slice.quantity += row.quantity;
    slices.set(key, slice);
  }
  return [...slices.values()];
}

const endOfDay = (day: string) => Date.parse(`${day}T00:00:00Z`) + 86_400_000 - 1_000;

/**
 * The reports to add: for every slice that grew since it was last reported, one event carrying
 * the growth (deltas, summed by Stripe). A slice that shrank (it cannot: usage only adds) is left alone.
 */
export function meterDeltas(tenantId: string, usage: readonly UsageSlice[], reported: readonly ReportedSlice[], now: Date): NewMeterReport[] {
  const before = new Map(reported.map((r) => [`${r.category}\u0000${r.dimension}\u0000${r.day}`, r]));
  const reports: NewMeterReport[] = [];
  for (const slice of usage) {
    const last = before.get(`${slice.category}\u0000${slice.dimension}\u0000${slice.day}`);
    const delta = slice.quantity - (last?.quantity ?? 0);
    if (delta <= 0) continue;
    const seq = (last?.seq ?? 0) + 1;
    const eventAt = new Date(Math.min(now.getTime(), endOfDay(slice.day))).toISOString();
    reports.push({ ...slice, quantity: delta, seq, identifier: meterIdentifier(tenantId, slice.category, slice.dimension, slice.day, seq), eventAt });
  }
  return reports.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : a.category < b.category ? -1 : a.category > b.category ? 1 : a.dimension < b.dimension ? -1 : 1));
}

/**
 * A gauge's report: when the period's high-water rose above the last value decided for it, an
 * event carrying the new high-water (absolute: a `last` meter keeps the latest value of the
 * period, which is then the period's maximum). The slice is the period (its first day).
 */
export function gaugeReport(tenantId: string, category: GaugeCategory, periodStart: string, highWater: number, last: { quantity: number; seq: number } | null, now: Date): NewGaugeReport | null {
  if (last && highWater <= last.quantity) return null;
  if (!last && highWater <= 0) return null;
  const seq = (last?.seq ?? 0) + 1;
  return { category, dimension: '', day: periodStart, quantity: highWater, seq, identifier: meterIdentifier(tenantId, category, '', periodStart, seq), eventAt: now.toISOString() };
}

export interface NewGaugeReport extends Omit<NewMeterReport, 'category'> {
  category: GaugeCategory;
}

/** The first day whose usage is still reported: the period's start, but no more than the window back. */
export function firstReportedDay(periodStart: string, now: Date): string {
  const earliest = new Date(now.getTime() - METER_WINDOW_DAYS * 86_400_000).toISOString().slice(0, 10);
  return periodStart > earliest ? periodStart : earliest;
}

/**
 * A reconciliation line: our usage, what we reported (sent, still pending or rejected) and what
 * Stripe has. For gauges: our high-water, the highest value sent, the highest still pending, and
 * Stripe's last value.
 */
export interface ReconciliationLine {
  category: ReportCategory;
  ours: number;
  reported: number;
  pending: number;
  stripe: number;
}

/** Our total minus Stripe's (positive: Stripe has less than the tenant used). */
export const differenceOf = (line: Pick<ReconciliationLine, 'ours' | 'stripe'>) => line.ours - line.stripe;
/** What we sent minus what Stripe has: not explained by usage still on its way. */
export const unexplainedOf = (line: Pick<ReconciliationLine, 'reported' | 'stripe'>) => line.reported - line.stripe;
