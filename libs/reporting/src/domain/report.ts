/**
 * What the dashboards API answers (`GET /v1/reports/{report}`), the chart renderer draws and the
 * console's reports page shows: series of points per period, in the tenant's time zone, read from
 * the daily rollups (never from raw tickets).
 */
export const REPORT_NAMES = ['volume', 'backlog', 'response-times', 'sla', 'csat', 'field-service', 'ai-usage'] as const;
export type ReportName = (typeof REPORT_NAMES)[number];

export const REPORT_INTERVALS = ['day', 'week', 'month'] as const;
export type ReportInterval = (typeof REPORT_INTERVALS)[number];

/** A breakdown of every series by one dimension of the rollups. */
export const REPORT_GROUPINGS = ['group', 'agent', 'channel', 'priority', 'tag'] as const;
export type ReportGrouping = (typeof REPORT_GROUPINGS)[number];

/** `minor`: money in minor units of `currency`; `percent`: 0–100; `minutes`: calendar minutes. */
export type ReportUnit = 'count' | 'minutes' | 'percent' | 'minor' | 'tokens';

export interface ReportPoint {
  /** The period's first local day, `YYYY-MM-DD` (a week starts on Monday). */
  period: string;
  /** Null where the period has no data for a ratio or percentile (not zero). */
  value: number | null;
}

export interface ReportSeries {
  /** Stable within a report, e.g. `created`, `first_reply_p90`; with a grouping, `<key>:<dimension value>`. */
  key: string;
  label: string;
  unit: ReportUnit;
  /** Set when the report is grouped: which dimension value this series is. */
  dimension?: { by: ReportGrouping; value: string | null; label: string };
  points: ReportPoint[];
}

export interface ReportResult {
  report: ReportName;
  title: string;
  timeZone: string;
  /** Inclusive local days. */
  from: string;
  to: string;
  interval: ReportInterval;
  groupBy: ReportGrouping | null;
  filters: { groupId: string | null; agentId: string | null };
  currency: string | null;
  series: ReportSeries[];
  /** When the newest rollup row read was computed (null when none); the console refreshes when it moves. */
  computedAt: string | null;
}

/** The console event the worker publishes to a tenant's agents when rollups change: `report.rollups_updated` with `{ days }`. */
export const ROLLUPS_UPDATED_CONSOLE_EVENT = 'report.rollups_updated';
