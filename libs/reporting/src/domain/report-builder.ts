import { ProblemException } from '@switchboard/platform';
import { REPORT_GROUPINGS, REPORT_INTERVALS, REPORT_NAMES, type ReportGrouping, type ReportInterval, type ReportName, type ReportPoint, type ReportSeries, type ReportUnit } from './report';

/** One aggregated figure of the rollups: a period, a dimension value ('' without a grouping), a metric and its key. */
export interface Aggregate {
  period: string;
  dim: string;
  metric: string;
  key: string;
  n: number;
  amount: number;
  p50: number | null;
  p90: number | null;
}

/** The longest range a report answers (two years of local days, a leap day included). */
export const MAX_REPORT_DAYS = 731;
/** Without `from`/`to`: the last 30 local days up to today. */
export const DEFAULT_REPORT_DAYS = 30;

export interface ReportParams {
  report: ReportName;
  from: string;
  to: string;
  interval: ReportInterval;
  groupBy: ReportGrouping | null;
  groupId: string | null;
  agentId: string | null;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const dayNumber = (d: string) => Date.parse(`${d}T00:00:00Z`) / 86_400_000;
export const addDays = (d: string, days: number) => new Date(Date.parse(`${d}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const isDate = (d: string) => DATE.test(d) && !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) === d;

const bad = (field: string, message: string, detail: string) =>
  new ProblemException({ status: 400, type: 'validation-failed', title: 'Bad Request', detail, errors: [{ field, message }] });

export const unknownReport = (report: string) =>
  new ProblemException({ status: 404, type: 'not-found', title: 'Not Found', detail: `There is no report "${report}"; reports are ${REPORT_NAMES.join(', ')}.` });

/**
 * A report request checked and completed (pure): an unknown report is a 404, bad dates, interval,
 * grouping or ids a 400 naming the field. `today` is the tenant's local day (the default range ends on it).
 */
export function parseReportParams(report: string, query: Record<string, unknown>, today: string): ReportParams {
  if (!(REPORT_NAMES as readonly string[]).includes(report)) throw unknownReport(report);
  const text = (name: string): string | undefined => {
    const v = query[name];
    if (v === undefined || v === '') return undefined;
    if (typeof v !== 'string') throw bad(name, 'must be given once', `\`${name}\` must be given once.`);
    return v;
  };
  const date = (name: 'from' | 'to'): string | undefined => {
    const v = text(name);
    if (v !== undefined && !isDate(v)) throw bad(name, 'must be a date YYYY-MM-DD', `\`${name}\` must be a local date such as 2026-03-29 (got "${v}").`);
    return v;
  };
  let from = date('from');
  let to = date('to');
  if (to === undefined) to = from !== undefined && dayNumber(from) > dayNumber(today) ? from : today;
  if (from === undefined) from = addDays(to, -(DEFAULT_REPORT_DAYS - 1));
  if (dayNumber(from) > dayNumber(to)) throw bad('from', 'must not be after `to`', `\`from\` (${from}) must not be after \`to\` (${to}); both days are included.`);
  if (dayNumber(to) - dayNumber(from) + 1 > MAX_REPORT_DAYS) throw bad('to', `at most ${MAX_REPORT_DAYS} days`, `A report covers at most ${MAX_REPORT_DAYS} days; ${from} to ${to} is ${dayNumber(to) - dayNumber(from) + 1}.`);
  const interval = text('interval') ?? 'day';
  if (!(REPORT_INTERVALS as readonly string[]).includes(interval)) throw bad('interval', `must be one of ${REPORT_INTERVALS.join(', ')}`, `\`interval\` must be one of ${REPORT_INTERVALS.join(', ')} (got "${interval}").`);
  const groupBy = text('groupBy') ?? null;
  if (groupBy !== null && !(REPORT_GROUPINGS as readonly string[]).includes(groupBy)) throw bad('groupBy', `must be one of ${REPORT_GROUPINGS.join(', ')}`, `\`groupBy\` must be one of ${REPORT_GROUPINGS.join(', ')} (got "${groupBy}").`);
  const id = (name: 'groupId' | 'agentId') => {
    const v = text(name);
    if (v !== undefined && !UUID.test(v)) throw bad(name, 'must be a UUID', `\`${name}\` must be a UUID (got "${v}").`);
    return v?.toLowerCase() ?? null;
  };
  const known = new Set(['from', 'to', 'interval', 'groupBy', 'groupId', 'agentId', 'format']);
  const unknown = Object.keys(query).find((k) => !known.has(k));
  if (unknown) throw bad(unknown, 'is not a parameter of reports', `\`${unknown}\` is not a parameter of reports (from, to, interval, groupBy, groupId, agentId).`);
  return { report: report as ReportName, from, to, interval: interval as ReportInterval, groupBy: groupBy as ReportGrouping | null, groupId: id('groupId'), agentId: id('agentId') };
}

/** The first local day of the period holding `day` (weeks start on Monday). */
export function periodStart(day: string, interval: ReportInterval): string {
  if (interval === 'day') return day;
  if (interval === 'month') return `${day.slice(0, 8)}01`;
  const weekday = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
  return addDays(day, -weekday);
}

/** Every period touching [from, to], with its last day inside the range. */
export function periodsOf(from: string, to: string, interval: ReportInterval): { period: string; last: string }[] {
  const out: { period: string; last: string }[] = [];
  for (let start = periodStart(from, interval); dayNumber(start) <= dayNumber(to); ) {
    const next = interval === 'day' ? addDays(start, 1) : interval === 'week' ? addDays(start, 7) : nextMonth(start);
    const last = addDays(next, -1);
    out.push({ period: start, last: dayNumber(last) > dayNumber(to) ? to : last });
    start = next;
  }
  return out;
}

const nextMonth = (start: string) => {
  const [y, m] = start.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
};

/** How one series reads the aggregates of one period and dimension value. */
type Reader = (get: (metric: string, key?: string) => Aggregate[]) => number | null;
interface SeriesSpec {
  key: string;
  label: string;
  unit: ReportUnit;
  read: Reader;
}
interface ReportDefinition {
  title: string;
  /** The rollup metrics it reads (besides the backlog, which has its own end-of-period reading). */
  metrics: string[];
  backlog?: boolean;
  /** Whether it reads percentiles (the days' values), not only counts and amounts. */
  percentiles?: boolean;
  /** Series known before reading (their keys may depend on the keys found, e.g. per SLA target). */
  series: (keys: (metric: string) => string[]) => SeriesSpec[];
  currency?: (keys: (metric: string) => string[]) => string | null;
}

const sum = (rows: Aggregate[], field: 'n' | 'amount' = 'n') => rows.filter((r) => r.p50 === null).reduce((s, r) => s + r[field], 0);
const count = (metric: string, key?: string): Reader => (get) => sum(get(metric, key));
const percentile = (metric: string, which: 'p50' | 'p90'): Reader => (get) => {
  const row = get(metric).find((r) => r.p50 !== null);
  return row ? Math.round(row[which]! * 100) / 100 : null;
};
const ratio = (num: Reader, den: Reader): Reader => (get) => {
  const d = den(get);
  return d ? Math.round((num(get)! / d) * 10_000) / 100 : null;
};
const amount = (metric: string, key?: string): Reader => (get) => sum(get(metric, key), 'amount');
/** Seconds kept in the rollups, as minutes (two decimals). */
const minutes = (metric: string): Reader => (get) => Math.round((sum(get(metric), 'amount') / 60) * 100) / 100;
const plus = (a: Reader, b: Reader): Reader => (get) => a(get)! + b(get)!;
/** Targets met over targets met or missed (a breach), per target when `key` is given. */
const attainment = (key?: string): Reader => ratio(count('sla_met', key), plus(count('sla_met', key), count('sla_breached', key)));

export const REPORTS: Record<ReportName, ReportDefinition> = {
  volume: {
    title: 'Ticket volume',
    metrics: ['created', 'solved', 'reopened'],
    series: () => [
      { key: 'created', label: 'Created', unit: 'count', read: count('created') },
      { key: 'solved', label: 'Solved', unit: 'count', read: count('solved') },
      { key: 'reopened', label: 'Reopened', unit: 'count', read: count('reopened') },
    ],
  },
  backlog: {
    title: 'Open backlog at the end of each period',
    metrics: [],
    backlog: true,
    series: () => [{ key: 'backlog', label: 'Open tickets', unit: 'count', read: count('backlog') }],
  },
  'response-times': {
    title: 'First reply and full resolution times of the tickets solved',
    metrics: ['first_reply', 'resolution'],
    percentiles: true,
    series: () => [
      { key: 'first_reply_p50', label: 'First reply, median', unit: 'minutes', read: percentile('first_reply', 'p50') },
      { key: 'first_reply_p90', label: 'First reply, 90th percentile', unit: 'minutes', read: percentile('first_reply', 'p90') },
      { key: 'resolution_p50', label: 'Full resolution, median', unit: 'minutes', read: percentile('resolution', 'p50') },
      { key: 'resolution_p90', label: 'Full resolution, 90th percentile', unit: 'minutes', read: percentile('resolution', 'p90') },
      { key: 'solved', label: 'Tickets solved (with a resolution time)', unit: 'count', read: (get) => sum(get('resolution')) },
    ],
  },
  sla: {
    // A target counts once: met on the day it was met, missed on the day it was breached (met late is missed).
    title: 'SLA attainment and breaches by target',
    metrics: ['sla_breached', 'sla_met'],
    series: (keys) => [
      { key: 'breached', label: 'Targets breached', unit: 'count', read: count('sla_breached') },
      ...keys('sla_breached').map((k) => ({ key: `breached_${k}`, label: `Breached: ${k.replace(/_/g, ' ')}`, unit: 'count' as const, read: count('sla_breached', k) })),
      { key: 'met', label: 'Targets met', unit: 'count', read: count('sla_met') },
      { key: 'attainment', label: 'SLA attainment (met / met or breached)', unit: 'percent', read: attainment() },
      ...[...new Set([...keys('sla_met'), ...keys('sla_breached')])]
        .sort()
        .map((k) => ({ key: `attainment_${k}`, label: `Attainment: ${k.replace(/_/g, ' ')}`, unit: 'percent' as const, read: attainment(k) })),
    ],
  },
  csat: {
    title: 'Customer satisfaction',
    metrics: ['csat', 'csat_offered'],
    series: () => [
      { key: 'rated', label: 'Ratings', unit: 'count', read: count('csat') },
      { key: 'good', label: 'Good ratings', unit: 'count', read: count('csat', 'good') },
      { key: 'score', label: 'Satisfaction score (good / rated)', unit: 'percent', read: ratio(count('csat', 'good'), count('csat')) },
      { key: 'offered', label: 'Surveys sent', unit: 'count', read: count('csat_offered') },
      { key: 'response_rate', label: 'Response rate (ratings / surveys sent)', unit: 'percent', read: ratio(count('csat'), count('csat_offered')) },
    ],
  },
  'field-service': {
    title: 'Field service jobs and technician utilisation',
    metrics: ['fs_revenue', 'fs_first_visit', 'fs_scheduled', 'fs_clocked'],
    series: (keys) => [
      { key: 'jobs_completed', label: 'Jobs completed', unit: 'count', read: count('fs_revenue') },
      ...keys('fs_revenue')
        .filter((k) => k !== '')
        .map((k) => ({ key: keys('fs_revenue').filter((c) => c !== '').length > 1 ? `revenue_${k}` : 'revenue', label: `Revenue (${k})`, unit: 'minor' as const, read: amount('fs_revenue', k) })),
      { key: 'first_time_fix', label: 'First-time fix (completed on its first visit)', unit: 'percent', read: ratio(count('fs_first_visit'), count('fs_revenue')) },
      { key: 'scheduled_minutes', label: 'Minutes scheduled (technicians’ visits)', unit: 'minutes', read: minutes('fs_scheduled') },
      { key: 'clocked_minutes', label: 'Minutes clocked on site', unit: 'minutes', read: minutes('fs_clocked') },
      { key: 'utilisation', label: 'Utilisation (clocked / scheduled)', unit: 'percent', read: ratio(amount('fs_clocked'), amount('fs_scheduled')) },
    ],
    currency: (keys) => {
      const currencies = keys('fs_revenue').filter((k) => k !== '');
      return currencies.length === 1 ? currencies[0]! : null;
    },
  },
  'ai-usage': {
    title: 'AI usage and suggestions',
    metrics: ['ai_tokens', 'ai_cost_micros', 'ai_suggestion_offered', 'ai_suggestion_decided'],
    series: (keys) => [
      { key: 'tokens', label: 'Tokens', unit: 'tokens', read: amount('ai_tokens') },
      { key: 'cost', label: 'Cost (USD cents)', unit: 'minor', read: (get) => sum(get('ai_cost_micros'), 'amount') / 10_000 },
      ...keys('ai_tokens').map((k) => ({ key: `tokens_${k}`, label: `Tokens: ${k.replace('/', ' via ')}`, unit: 'tokens' as const, read: amount('ai_tokens', k) })),
      { key: 'suggestions_offered', label: 'Suggestions offered', unit: 'count', read: count('ai_suggestion_offered') },
      { key: 'suggestions_accepted', label: 'Suggestions accepted', unit: 'count', read: count('ai_suggestion_decided', 'accepted') },
      {
        key: 'suggestion_acceptance',
        label: 'Acceptance (accepted / decided)',
        unit: 'percent',
        read: ratio(count('ai_suggestion_decided', 'accepted'), count('ai_suggestion_decided')),
      },
    ],
    currency: () => 'USD',
  },
};

/** Metrics a report reads from the rollups. */
export const reportMetrics = (report: ReportName): string[] => REPORTS[report].metrics;

/**
 * The report's series from the aggregated rows (pure): one point per period, counts 0 where
 * nothing happened, ratios and percentiles null where there is nothing to divide or rank.
 * Grouped, one series per (series, dimension value found).
 */
export function buildSeries(params: Pick<ReportParams, 'report' | 'from' | 'to' | 'interval' | 'groupBy'>, rows: readonly Aggregate[], labelOf: (value: string) => string = (v) => v || '(none)'): { series: ReportSeries[]; currency: string | null } {
  const definition = REPORTS[params.report];
  const periods = periodsOf(params.from, params.to, params.interval);
  const keys = (metric: string) => [...new Set(rows.filter((r) => r.metric === metric).map((r) => r.key))].sort();
  const specs = definition.series(keys);
  const dims = params.groupBy ? [...new Set(rows.map((r) => r.dim))].sort() : [''];
  const index = new Map<string, Aggregate[]>();
  for (const r of rows) {
    const k = `${r.period}|${r.dim}`;
    const list = index.get(k) ?? [];
    list.push(r);
    index.set(k, list);
  }
  const series: ReportSeries[] = [];
  for (const dim of dims) {
    for (const spec of specs) {
      const points: ReportPoint[] = periods.map(({ period }) => {
        const here = index.get(`${period}|${dim}`) ?? [];
        const get = (metric: string, key?: string) => here.filter((r) => r.metric === metric && (key === undefined || r.key === key));
        return { period, value: spec.read(get) };
      });
      series.push({
        key: params.groupBy ? `${spec.key}:${dim}` : spec.key,
        label: params.groupBy ? `${spec.label} — ${labelOf(dim)}` : spec.label,
        unit: spec.unit,
        ...(params.groupBy ? { dimension: { by: params.groupBy, value: dim === '' ? null : dim, label: labelOf(dim) } } : {}),
        points,
      });
    }
  }
  return { series, currency: definition.currency?.(keys) ?? null };
}
