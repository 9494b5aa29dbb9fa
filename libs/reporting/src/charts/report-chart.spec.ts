import type { ReportResult, ReportSeries } from '../domain/report';
import { renderReportChart } from './chart-renderer';
import { chartData, reportChartSpec } from './report-chart-spec';

const days = ['2026-11-30', '2026-12-01', '2026-12-02'];
const series = (key: string, label: string, values: (number | null)[], unit: ReportSeries['unit'] = 'count', extra: Partial<ReportSeries> = {}): ReportSeries => ({
  key,
  label,
  unit,
  points: values.map((value, i) => ({ period: days[i], value })),
  ...extra,
});
const report = (over: Partial<ReportResult>): ReportResult => ({
  report: 'volume',
  title: 'Ticket volume',
  timeZone: 'Europe/Berlin',
  from: days[0],
  to: days[2],
  interval: 'day',
  groupBy: null,
  filters: { groupId: null, agentId: null },
  currency: null,
  series: [series('created', 'Created', [3, 5, 2]), series('solved', 'Solved', [1, 4, null])],
  computedAt: null,
  ...over,
});

/* eslint-disable @typescript-eslint/no-explicit-any */
describe('reportChartSpec', () => {
  it('draws volume as bars per series with a legend, counts on y and the tenant’s days on x', () => {
    const spec: any = reportChartSpec(report({}), { width: 400, height: 200 });
    expect(spec.mark.type).toBe('bar');
    expect(spec.width).toBe(400);
    expect(spec.height).toBe(200);
    expect(spec.encoding.color.scale.domain).toEqual(['Created', 'Solved']);
    expect(spec.encoding.color.legend.orient).toBe('bottom');
    expect(spec.encoding.y.title).toBe('Count');
    expect(spec.encoding.y.axis.tickMinStep).toBe(1);
    expect(spec.encoding.x.title).toBe('Day (Europe/Berlin)');
    expect(spec.encoding.x.timeUnit).toBe('utcyearmonthdate');
    expect(spec.title.subtitle).toBe('2026-11-30 – 2026-12-02 · Europe/Berlin');
    expect(spec.data.values).toContainEqual({ period: '2026-12-02', series: 'Solved', value: null });
    expect(spec.transform).toEqual([{ filter: 'datum.value !== null' }]);
  });

  it('draws response times, SLA and CSAT as lines, percentages on a 0–100 axis', () => {
    const times: any = reportChartSpec(report({ report: 'response-times', series: [series('first_reply_p90', 'First reply p90', [30, null, 12], 'minutes')] }));
    expect(times.mark.type).toBe('line');
    expect(times.encoding.y.title).toBe('Minutes');
    expect(times.encoding.y.axis.tickMinStep).toBeUndefined();
    expect(times.encoding.x.scale.type).toBe('utc');
    const sla: any = reportChartSpec(report({ report: 'sla', interval: 'week', series: [series('attainment', 'SLA attained', [90, 100, 75], 'percent')] }));
    expect(sla.mark.type).toBe('line');
    expect(sla.encoding.y.scale.domain).toEqual([0, 100]);
    expect(sla.encoding.y.title).toBe('Percent (%)');
    expect(sla.encoding.x.title).toBe('Week from (Europe/Berlin)');
    expect((reportChartSpec(report({ report: 'csat', series: [] })) as any).mark.type).toBe('line');
  });

  it('names grouped series by their dimension and scales money from minor units', () => {
    const grouped = chartData([series('created:g1', 'Created', [1, 2, 3], 'count', { dimension: { by: 'group', value: 'g1', label: 'Billing' } })], null);
    expect(grouped[0]).toEqual({ period: days[0], series: 'Created · Billing', value: 1 });
    expect(chartData([series('revenue', 'Revenue', [12345, null, 0], 'minor')], 'EUR').map((r) => r.value)).toEqual([123.45, null, 0]);
    expect(chartData([series('revenue', 'Revenue', [500, 1, 0], 'minor')], 'JPY').map((r) => r.value)).toEqual([500, 1, 0]);
  });

  it('puts series of different units in panels of their own', () => {
    const spec: any = reportChartSpec(report({ report: 'field-service', currency: 'EUR', series: [series('jobs', 'Jobs done', [1, 2, 3]), series('revenue', 'Revenue', [100, 200, 300], 'minor')] }));
    expect(spec.vconcat).toHaveLength(2);
    expect(spec.vconcat.map((v: any) => v.encoding.y.title)).toEqual(['Count', 'Amount (EUR)']);
    expect(spec.vconcat[1].data.values[0].value).toBe(1);
  });
});

describe('renderReportChart', () => {
  it('renders an SVG with the series’ marks, legend labels and dates', async () => {
    const svg = await renderReportChart(report({ report: 'backlog', series: [series('open', 'Open tickets', [4, 6, 5]), series('pending', 'Pending', [1, 0, 2])] }), { width: 400, height: 200 });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(svg).toContain('width="');
    // One path per series' line, a legend entry per series, the axis title and the tenant's days.
    expect(svg.match(/class="mark-line role-mark/g)?.length).toBe(2);
    expect(svg.match(/aria-roledescription="point"/g)?.length).toBe(6);
    expect(svg).toContain('>Open tickets<');
    expect(svg).toContain('>Pending<');
    expect(svg).toContain('>Count<');
    expect(svg).toContain('>30 Nov<');
    expect(svg).toContain('>2 Dec<');
    expect(svg).toContain('Ticket volume');
    expect(svg).toContain('Period: 2026-12-01');
  });

  it('draws one bar per present value', async () => {
    const svg = await renderReportChart(report({}), { width: 300, height: 150 });
    expect(svg.match(/aria-roledescription="bar"/g)?.length).toBe(5);
  });

  it('is self-contained: no scripts, no remote fonts or links, labels escaped', async () => {
    const hostile = '<script>alert(1)</script> & "quotes" <img src=http://evil.example/x>';
    const svg = await renderReportChart(report({ title: hostile, series: [series('created', hostile, [1, 2, 3])] }), { width: 300, height: 150 });
    expect(svg).not.toMatch(/<script/i);
    expect(svg).not.toMatch(/<img/i);
    expect(svg).not.toMatch(/@import|@font-face|url\(/i);
    expect(svg).not.toMatch(/\shref="(?!#)/);
    expect(svg).not.toMatch(/\s(?:src|href|xlink:href)="/i);
    // The hostile label is there as text only, escaped.
    expect(svg).toContain('>&lt;script&gt;alert(1)&lt;/script&gt; &amp; "quotes" &lt;img src=http://evil.example/x&gt;</text>');
    expect(svg.replace(/&lt;img src=http:\/\/evil\.example\/x&gt;/g, '').match(/https?:\/\/[^"\s<]+/g)?.sort()).toEqual(['http://www.w3.org/1999/xlink', 'http://www.w3.org/2000/svg']);
  });

  it('renders an empty report (no series) as axes without marks', async () => {
    const svg = await renderReportChart(report({ series: [] }), { width: 300, height: 150 });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).not.toContain('aria-roledescription="bar"');
  });
});
