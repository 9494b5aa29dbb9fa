import type { SubscriptionView } from './plans';

export interface UsageLine {
  category: 'api_requests' | 'ai_tokens';
  /** Endpoint group (api_requests) or model (ai_tokens). */
  dimension: string;
  quantity: number;
  costMicros: number;
}

export interface UsageReport {
  period: { start: string; end: string };
  totals: { apiRequests: number; aiTokens: number; aiCostMicros: number };
  byCategory: UsageLine[];
  daily: { day: string; apiRequests: number; aiTokens: number; aiCostMicros: number }[];
  /** Stored bytes and seats: now, and the period's high-water (what Stripe's `last` meters bill, ADR 0062). */
  levels?: UsageLevels;
}

export interface UsageLevels {
  storageBytes: { now: number; highWater: number };
  seats: { now: number; highWater: number };
  /** Stored files by content type now, largest first. */
  storageByType: { contentType: string; files: number; bytes: number }[];
}

const day = (d: Date) => d.toISOString().slice(0, 10);

/** The billing period: Stripe's current period when there is one, else the calendar month (UTC). */
export function currentPeriod(sub: Pick<SubscriptionView, 'currentPeriodStart' | 'currentPeriodEnd'>, now: Date): { start: string; end: string } {
  if (sub.currentPeriodStart && sub.currentPeriodEnd && Date.parse(sub.currentPeriodStart) <= now.getTime() && now.getTime() < Date.parse(sub.currentPeriodEnd)) {
    return { start: day(new Date(sub.currentPeriodStart)), end: day(new Date(sub.currentPeriodEnd)) };
  }
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  return { start: day(start), end: day(end) };
}

/** Daily rows (day, category, dimension) folded into totals, per-category lines and a daily series. */
export function usageReport(period: { start: string; end: string }, rows: readonly { day: string; category: UsageLine['category']; dimension: string; quantity: number; costMicros: number }[]): UsageReport {
  const totals = { apiRequests: 0, aiTokens: 0, aiCostMicros: 0 };
  const lines = new Map<string, UsageLine>();
  const days = new Map<string, UsageReport['daily'][number]>();
  for (const r of rows) {
    const key = `${r.category}\u0000${r.dimension}`;
    const line = lines.get(key) ?? { category: r.category, dimension: r.dimension, quantity: 0, costMicros: 0 };
    line.quantity += r.quantity;
    line.costMicros += r.costMicros;
    lines.set(key, line);
    const d = days.get(r.day) ?? { day: r.day, apiRequests: 0, aiTokens: 0, aiCostMicros: 0 };
    if (r.category === 'api_requests') {
      d.apiRequests += r.quantity;
      totals.apiRequests += r.quantity;
    } else {
      d.aiTokens += r.quantity;
      d.aiCostMicros += r.costMicros;
      totals.aiTokens += r.quantity;
      totals.aiCostMicros += r.costMicros;
    }
    days.set(r.day, d);
  }
  const byCategory = [...lines.values()].sort((a, b) => (a.category < b.category ? -1 : a.category > b.category ? 1 : b.quantity - a.quantity));
  return { period, totals, byCategory, daily: [...days.values()].sort((a, b) => (a.day < b.day ? -1 : 1)) };
}
