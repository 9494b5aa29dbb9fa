import type { StatusInterval, TicketMetrics } from './ticket-metrics';

/** A ticket's stored figures: what the daily rollups read of it. */
export interface TicketFootprint {
  metrics: TicketMetrics;
  intervals: StatusInterval[];
}

/**
 * Instants whose local days need their rollups recomputed: `to` null runs to the present (the
 * days from `from` to today). Kept as instants so marking needs no time zone; the rollup job turns
 * them into the tenant's local days.
 */
export interface DirtySpan {
  from: string;
  to: string | null;
}

const sameDimensions = (a: TicketMetrics, b: TicketMetrics) =>
  a.createdAt === b.createdAt &&
  a.groupId === b.groupId &&
  a.assigneeId === b.assigneeId &&
  a.channel === b.channel &&
  a.priority === b.priority &&
  a.tags.length === b.tags.length &&
  a.tags.every((t, i) => t === b.tags[i]);

const sameInterval = (a: StatusInterval, b: StatusInterval) => a.status === b.status && a.customStatusId === b.customStatusId && a.startedAt === b.startedAt && a.endedAt === b.endedAt;
const earliest = (...instants: (string | null | undefined)[]) =>
  instants.filter((i): i is string => typeof i === 'string').sort((x, y) => Date.parse(x) - Date.parse(y))[0] ?? null;

/**
 * The first instant from which the two interval lists tell a different story (null: the same).
 * Intervals that differ only in their end (the current one closed by a change) diverge at the
 * earlier end, so a live change marks its own day, not every day since the previous change.
 */
export function divergence(before: readonly StatusInterval[], after: readonly StatusInterval[]): string | null {
  const n = Math.min(before.length, after.length);
  for (let i = 0; i < n; i++) {
    const a = before[i]!;
    const b = after[i]!;
    if (sameInterval(a, b)) continue;
    if (a.status === b.status && a.customStatusId === b.customStatusId && a.startedAt === b.startedAt) return earliest(a.endedAt, b.endedAt);
    return earliest(a.startedAt, b.startedAt);
  }
  if (before.length === after.length) return null;
  return (before.length > n ? before[n]! : after[n]!).startedAt;
}

/**
 * What a recompute of one ticket leaves to roll up again (pure). Nothing when its figures are the
 * same (a redelivered or irrelevant event); from its creation on when it appeared, disappeared or
 * moved to other dimensions (its rows are attributed to its dimensions now); otherwise from where
 * its status history diverged, plus the days of its old and new solve (percentiles of the tickets
 * solved that day).
 */
export function dirtySpans(before: TicketFootprint | undefined, after: TicketFootprint | undefined): DirtySpan[] {
  if (!before && !after) return [];
  if (!before || !after) return [{ from: (before ?? after)!.metrics.createdAt, to: null }];
  const [a, b] = [before.metrics, after.metrics];
  if (!sameDimensions(a, b)) return [{ from: earliest(a.createdAt, b.createdAt)!, to: null }];
  const spans: DirtySpan[] = [];
  const from = divergence(before.intervals, after.intervals);
  if (from) spans.push({ from, to: null });
  if (a.solvedAt !== b.solvedAt || a.firstReplyMinutes !== b.firstReplyMinutes || a.fullResolutionMinutes !== b.fullResolutionMinutes) {
    for (const at of new Set([a.solvedAt, b.solvedAt])) if (at) spans.push({ from: at, to: at });
  }
  return spans;
}

/** A local calendar day `YYYY-MM-DD` of an instant in an IANA time zone. */
export function localDay(instant: string | number | Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date(instant));
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}
