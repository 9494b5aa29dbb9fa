import type { TopLevelSpec } from 'vega-lite';
import type { ReportName, ReportResult, ReportSeries, ReportUnit } from '../domain/report';

/**
 * `ReportResult` → Vega-Lite spec: the one description of a report's chart, rendered to SVG by the
 * api (chart.svg, the weekly digest) and shown by the console. Pure, so it is tested without vega.
 *
 * Periods are the tenant's local days (`YYYY-MM-DD`); they are placed and labelled as UTC dates so
 * the chart shows exactly the tenant's days whatever the server's own zone.
 */

export const CHART_LIMITS = { width: { min: 200, max: 2000, default: 720 }, height: { min: 120, max: 1200, default: 320 } } as const;

export interface ChartSize {
  width: number;
  height: number;
}

/** Bars where periods are compared as counts of things; lines for levels, durations and ratios. */
const MARK_BY_REPORT: Record<ReportName, 'bar' | 'line'> = {
  volume: 'bar',
  backlog: 'line',
  'response-times': 'line',
  sla: 'line',
  csat: 'line',
  'field-service': 'bar',
  'ai-usage': 'bar',
};

/** Currencies' minor-unit exponent (JPY 0, EUR 2, KWD 3), as the platform's Intl knows it. */
function minorExponent(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

export function unitTitle(unit: ReportUnit, currency: string | null): string {
  switch (unit) {
    case 'count':
      return 'Count';
    case 'minutes':
      return 'Minutes';
    case 'percent':
      return 'Percent (%)';
    case 'minor':
      return currency ? `Amount (${currency})` : 'Amount';
    case 'tokens':
      return 'Tokens';
  }
}

/** One row of the chart's data: a series' point, with money scaled from minor units to the currency's unit. */
export interface ChartDatum {
  period: string;
  series: string;
  value: number | null;
}

function seriesName(series: ReportSeries): string {
  return series.dimension ? `${series.label} · ${series.dimension.label}` : series.label;
}

export function chartData(series: ReportSeries[], currency: string | null): ChartDatum[] {
  const rows: ChartDatum[] = [];
  for (const s of series) {
    const scale = s.unit === 'minor' && currency ? 10 ** minorExponent(currency) : 1;
    const name = seriesName(s);
    for (const p of s.points) rows.push({ period: p.period, series: name, value: p.value === null ? null : p.value / scale });
  }
  return rows;
}

/** Axis label format per interval (d3 time format, applied in UTC: see above). */
const X_FORMAT = { day: '%-d %b', week: '%-d %b', month: '%b %Y' } as const;

/** A single-view spec that can stand alone or be one panel of a `vconcat`. */
type UnitView = Extract<Extract<TopLevelSpec, { vconcat: unknown }>['vconcat'][number], { mark: unknown }>;

function unitView(result: ReportResult, unit: ReportUnit, series: ReportSeries[], size: ChartSize, withTitle: boolean): UnitView {
  const mark = MARK_BY_REPORT[result.report];
  const names = series.map(seriesName);
  const values = chartData(series, result.currency);
  const percent = unit === 'percent';
  const xTitle = result.interval === 'day' ? `Day (${result.timeZone})` : `${result.interval === 'week' ? 'Week from' : 'Month'} (${result.timeZone})`;
  const y = {
    field: 'value',
    type: 'quantitative' as const,
    title: unitTitle(unit, result.currency),
    ...(percent ? { scale: { domain: [0, 100] } } : {}),
    // Whole things (tickets, tokens) get whole ticks.
    axis: { format: unit === 'minor' ? ',.2f' : ',~r', ...(unit === 'count' || unit === 'tokens' ? { tickMinStep: 1 } : {}) },
  };
  const color = {
    field: 'series',
    type: 'nominal' as const,
    title: result.groupBy ? `Series · ${result.groupBy}` : null,
    scale: { domain: names },
    legend: { orient: 'bottom' as const, direction: 'horizontal' as const, labelLimit: 240 },
  };
  const tooltip = [
    { field: 'period', type: 'temporal', timeUnit: 'utcyearmonthdate', title: 'Period', format: '%Y-%m-%d' },
    { field: 'series', type: 'nominal', title: 'Series' },
    { field: 'value', type: 'quantitative', title: unitTitle(unit, result.currency) },
  ] as const;
  const view = {
    width: size.width,
    height: size.height,
    data: { values },
    ...(withTitle ? {} : { title: { text: unitTitle(unit, result.currency), fontSize: 12, anchor: 'start' as const } }),
  };
  if (mark === 'bar') {
    return {
      ...view,
      // A missing value is no bar, not a bar of zero.
      transform: [{ filter: 'datum.value !== null' }],
      mark: { type: 'bar', tooltip: true },
      encoding: {
        x: { field: 'period', type: 'ordinal', timeUnit: 'utcyearmonthdate', title: xTitle, axis: { format: X_FORMAT[result.interval], labelAngle: 0, labelOverlap: true } },
        xOffset: { field: 'series', type: 'nominal', scale: { domain: names } },
        y,
        color,
        tooltip: [...tooltip],
      },
    };
  }
  return {
    ...view,
    // Null points break the line (no data is not zero); single points still show as dots.
    mark: { type: 'line', point: true, tooltip: true, invalid: 'break-paths-show-domains' },
    encoding: {
      x: { field: 'period', type: 'temporal', timeUnit: 'utcyearmonthdate', title: xTitle, scale: { type: 'utc' }, axis: { format: X_FORMAT[result.interval], labelOverlap: true } },
      y,
      color,
      tooltip: [...tooltip],
    },
  };
}

/** The chart's Vega-Lite spec: a series per line (or bar) with a legend, units on the y axis, the tenant's dates on x. */
export function reportChartSpec(result: ReportResult, size: ChartSize = { width: CHART_LIMITS.width.default, height: CHART_LIMITS.height.default }): TopLevelSpec {
  const units = [...new Set(result.series.map((s) => s.unit))];
  const config = {
    font: 'sans-serif',
    background: '#ffffff',
    view: { stroke: null },
    axis: { labelColor: '#44495a', titleColor: '#44495a', gridColor: '#e6e8ef' },
    legend: { labelColor: '#44495a', titleColor: '#44495a' },
    title: { color: '#1d2233', subtitleColor: '#6b7080' },
  };
  const title = { text: result.title, subtitle: `${result.from} – ${result.to} · ${result.timeZone}`, anchor: 'start' as const };
  const base = { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', title, config, padding: 8 };
  if (units.length <= 1) {
    const unit = units[0] ?? 'count';
    return { ...base, ...unitView(result, unit, result.series, size, true) } as TopLevelSpec;
  }
  // Series in different units never share an axis: one panel per unit, stacked, each its own scale and legend.
  const height = Math.max(CHART_LIMITS.height.min / 2, Math.floor(size.height / units.length));
  return {
    ...base,
    vconcat: units.map((unit) => unitView(result, unit, result.series.filter((s) => s.unit === unit), { width: size.width, height }, false)),
    resolve: { scale: { color: 'independent', y: 'independent' }, legend: { color: 'independent' } },
  };
}
