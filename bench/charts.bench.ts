import { createHash } from 'node:crypto';
import { ChartCache } from '../libs/reporting/src/charts/chart-cache';
import { renderSvg } from '../libs/reporting/src/charts/chart-renderer';
import { reportChartSpec } from '../libs/reporting/src/charts/report-chart-spec';
import type { ReportResult, ReportSeries } from '../libs/reporting/src/domain/report';
import type { Benchmark } from './support/benchmark';
import { fixed, renderTable } from './support/table';

const RUNS = Number(process.env.CHARTS_BENCH_RUNS ?? 30);

function days(n: number): string[] {
  const start = Date.UTC(2026, 0, 1);
  return Array.from({ length: n }, (_, i) => new Date(start + i * 86_400_000).toISOString().slice(0, 10));
}

function result(report: ReportResult['report'], periods: string[], series: { key: string; unit: ReportSeries['unit'] }[], groups = 1): ReportResult {
  let seed = 7;
  const next = () => (seed = (seed * 48_271) % 2_147_483_647) / 2_147_483_647;
  return {
    report,
    title: report,
    timeZone: 'Europe/Berlin',
    from: periods[0]!,
    to: periods.at(-1)!,
    interval: 'day',
    groupBy: groups > 1 ? 'group' : null,
    filters: { groupId: null, agentId: null },
    currency: null,
    series: series.flatMap((s) =>
      Array.from({ length: groups }, (_, g) => ({
        key: groups > 1 ? `${s.key}:g${g}` : s.key,
        label: s.key,
        unit: s.unit,
        ...(groups > 1 ? { dimension: { by: 'group' as const, value: `g${g}`, label: `Group ${g + 1}` } } : {}),
        points: periods.map((period) => ({ period, value: s.unit === 'percent' ? Math.round(60 + 40 * next()) : Math.round(50 * next()) })),
      })),
    ),
    computedAt: null,
  };
}

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))]!;

/**
 * What a chart costs the api: `GET /v1/reports/{report}/chart.svg` draws on the request path
 * (spec → vega-lite compile → vega view → SVG), against the same report's JSON answer (serialised)
 * as the same-run baseline; and the same figures again (spec, hash, the api's ChartCache hit).
 * Also the one-time load of vega and vega-lite on first use.
 */
export const chartsBenchmark: Benchmark = {
  name: 'charts',
  description: 'report charts: SVG render p50/p95 vs the same report as JSON (ratio), a cache hit, and the first-use load of vega',
  async run({ log, signal }) {
    const cases: [string, ReportResult][] = [
      ['volume, 30 days, 3 series (bars)', result('volume', days(30), [{ key: 'created', unit: 'count' }, { key: 'solved', unit: 'count' }, { key: 'reopened', unit: 'count' }])],
      ['backlog, 365 days, 1 series (line)', result('backlog', days(365), [{ key: 'backlog', unit: 'count' }])],
      ['csat, 90 days, count + percent (2 panels)', result('csat', days(90), [{ key: 'rated', unit: 'count' }, { key: 'score', unit: 'percent' }])],
      ['volume, 90 days, by 10 groups (30 series)', result('volume', days(90), [{ key: 'created', unit: 'count' }, { key: 'solved', unit: 'count' }, { key: 'reopened', unit: 'count' }], 10)],
    ];
    const loadStarted = performance.now();
    await renderSvg(reportChartSpec(cases[0]![1], { width: 300, height: 150 }));
    const firstMs = performance.now() - loadStarted;
    const rows: string[][] = [];
    for (const [label, report] of cases) {
      if (signal.aborted) break;
      const svgMs: number[] = [];
      const jsonMs: number[] = [];
      const hitMs: number[] = [];
      const cache = new ChartCache();
      let bytes = 0;
      for (let i = 0; i < RUNS + 2; i++) {
        let t = performance.now();
        const json = JSON.stringify(report);
        const jsonTime = performance.now() - t;
        t = performance.now();
        const svg = await renderSvg(reportChartSpec(report));
        const svgTime = performance.now() - t;
        // What the api does for figures it drew already: the spec, its hash, the cache.
        t = performance.now();
        const hash = createHash('sha256').update(JSON.stringify(reportChartSpec(report))).digest('base64url').slice(0, 32);
        if (cache.get(hash) === undefined) cache.set(hash, svg);
        const hitTime = performance.now() - t;
        if (i < 2) continue; // warm-up
        hitMs.push(hitTime);
        jsonMs.push(jsonTime);
        svgMs.push(svgTime);
        bytes = svg.length;
        if (json.length === 0) throw new Error("empty report");
      }
      const p50 = percentile(svgMs, 0.5);
      const p95 = percentile(svgMs, 0.95);
      const json95 = percentile(jsonMs, 0.95);
      rows.push([label, fixed(p50, 1), fixed(p95, 1), fixed(percentile(hitMs, 0.95), 2), fixed(json95, 3), fixed(p95 / json95, 0), fixed(bytes / 1024, 0)]);
    }
    log(renderTable(['chart (720×320)', 'svg p50 ms', 'svg p95 ms', 'cached p95 ms', 'json p95 ms', 'svg/json p95', 'svg KiB'], rows));
    log(`\nfirst chart in the process (loads vega and vega-lite): ${fixed(firstMs, 0)} ms; runs per case: ${RUNS} after 2 warm-up`);
  },
};
