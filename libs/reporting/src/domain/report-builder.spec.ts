import { ProblemException } from '@switchboard/platform';
import { applyViewer } from './report-access';
import { buildSeries, parseReportParams, periodsOf, type Aggregate } from './report-builder';
import { reportRows } from './report-export';
import { levelFor } from '../repositories/rollups.sql';

const problem = (work: () => unknown) => {
  try {
    work();
  } catch (error) {
    if (error instanceof ProblemException) return error.problem;
    throw error;
  }
  throw new Error('expected a problem');
};

describe('parseReportParams', () => {
  const today = '2026-03-29';
  it('defaults to the last 30 local days, by day, ungrouped', () => {
    expect(parseReportParams('volume', {}, today)).toEqual({ report: 'volume', from: '2026-02-28', to: today, interval: 'day', groupBy: null, groupId: null, agentId: null });
  });

  it('answers an unknown report with a 404 and bad values with a 400 naming the field', () => {
    expect(problem(() => parseReportParams('forecast', {}, today))).toMatchObject({ status: 404 });
    const field = (query: Record<string, unknown>) => problem(() => parseReportParams('volume', query, today)).errors?.[0]?.field;
    expect(field({ from: '2026-02-30' })).toBe('from');
    expect(field({ to: '29.03.2026' })).toBe('to');
    expect(field({ from: '2026-03-02', to: '2026-03-01' })).toBe('from');
    expect(field({ from: '2024-03-28', to: '2026-03-29' })).toBe('to');
    expect(field({ interval: 'hour' })).toBe('interval');
    expect(field({ groupBy: 'planet' })).toBe('groupBy');
    expect(field({ agentId: 'me' })).toBe('agentId');
    expect(field({ from: ['2026-01-01', '2026-01-02'] })).toBe('from');
    expect(field({ colour: 'red' })).toBe('colour');
  });

  it('takes two full years, and lower-cases ids', () => {
    expect(parseReportParams('sla', { from: '2024-03-30', to: '2026-03-29', agentId: 'AAAAAAAA-AAAA-4AAA-8AAA-AAAAAAAAAAAA' }, today)).toMatchObject({ from: '2024-03-30', agentId: 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa' });
  });
});

describe('periodsOf', () => {
  it('starts weeks on Monday and months on the first, each period’s last day inside the range', () => {
    expect(periodsOf('2026-03-25', '2026-04-02', 'week')).toEqual([
      { period: '2026-03-23', last: '2026-03-29' },
      { period: '2026-03-30', last: '2026-04-02' },
    ]);
    expect(periodsOf('2026-12-15', '2027-01-10', 'month')).toEqual([
      { period: '2026-12-01', last: '2026-12-31' },
      { period: '2027-01-01', last: '2027-01-10' },
    ]);
    expect(periodsOf('2026-03-28', '2026-03-30', 'day').map((p) => p.period)).toEqual(['2026-03-28', '2026-03-29', '2026-03-30']);
  });
});

const agg = (period: string, metric: string, n: number, over: Partial<Aggregate> = {}): Aggregate => ({ period, dim: '', metric, key: '', n, amount: 0, p50: null, p90: null, ...over });

describe('buildSeries', () => {
  it('gives every period a point: counts 0 where nothing happened, ratios null where nothing was rated', () => {
    const { series } = buildSeries({ report: 'csat', from: '2026-03-01', to: '2026-03-02', interval: 'day', groupBy: null }, [agg('2026-03-01', 'csat', 3, { key: 'good' }), agg('2026-03-01', 'csat', 1, { key: 'bad' })]);
    expect(series.map((s) => [s.key, s.points.map((p) => p.value)])).toEqual([
      ['rated', [4, 0]],
      ['good', [3, 0]],
      ['score', [75, null]],
      ['offered', [0, 0]],
      ['response_rate', [null, null]],
    ]);
  });

  it('reads SLA attainment per target: met over met or breached, null where no target ended', () => {
    const rows = [
      agg('2026-03-01', 'sla_met', 3, { key: 'first_reply' }),
      agg('2026-03-01', 'sla_breached', 1, { key: 'first_reply' }),
      agg('2026-03-01', 'sla_breached', 1, { key: 'resolution' }),
      agg('2026-03-02', 'sla_met', 1, { key: 'resolution' }),
    ];
    const { series } = buildSeries({ report: 'sla', from: '2026-03-01', to: '2026-03-03', interval: 'day', groupBy: null }, rows);
    expect(series.map((s) => [s.key, s.points.map((p) => p.value)])).toEqual([
      ['breached', [2, 0, 0]],
      ['breached_first_reply', [1, 0, 0]],
      ['breached_resolution', [1, 0, 0]],
      ['met', [3, 1, 0]],
      ['attainment', [60, 100, null]],
      ['attainment_first_reply', [75, null, null]],
      ['attainment_resolution', [0, 100, null]],
    ]);
    const week = buildSeries({ report: 'sla', from: '2026-03-01', to: '2026-03-02', interval: 'month', groupBy: null }, rows.map((r) => ({ ...r, period: '2026-03-01' })));
    expect(week.series.find((s) => s.key === 'attainment')!.points[0]!.value).toBeCloseTo(66.67, 2);
  });

  it('reads the CSAT response rate as ratings over surveys sent', () => {
    const rows = [agg('2026-03-01', 'csat', 1, { key: 'good' }), agg('2026-03-01', 'csat', 1, { key: 'bad' }), agg('2026-03-01', 'csat_offered', 8)];
    const { series } = buildSeries({ report: 'csat', from: '2026-03-01', to: '2026-03-01', interval: 'day', groupBy: null }, rows);
    expect(Object.fromEntries(series.map((s) => [s.key, s.points[0]!.value]))).toEqual({ rated: 2, good: 1, score: 50, offered: 8, response_rate: 25 });
  });

  it('reads technicians’ utilisation as seconds clocked over seconds scheduled, per technician when grouped by agent', () => {
    const rows = [
      agg('2026-03-01', 'fs_scheduled', 2, { dim: 'tech-1', amount: 4 * 3600 }),
      agg('2026-03-01', 'fs_clocked', 1, { dim: 'tech-1', amount: 3 * 3600 + 30 }),
      agg('2026-03-01', 'fs_clocked', 1, { dim: 'tech-2', amount: 600 }),
    ];
    const { series } = buildSeries({ report: 'field-service', from: '2026-03-01', to: '2026-03-01', interval: 'day', groupBy: 'agent' }, rows);
    const at = (key: string) => series.find((s) => s.key === key)!.points[0]!.value;
    expect([at('scheduled_minutes:tech-1'), at('clocked_minutes:tech-1'), at('utilisation:tech-1')]).toEqual([240, 180.5, 75.21]);
    expect([at('scheduled_minutes:tech-2'), at('clocked_minutes:tech-2'), at('utilisation:tech-2')]).toEqual([0, 10, null]);
  });

  it('reads percentiles from their own rows and names grouped series by dimension value', () => {
    const rows = [agg('2026-03-01', 'first_reply', 2, { dim: 'high' }), agg('2026-03-01', 'first_reply', 2, { dim: 'high', p50: 12.5, p90: 40 }), agg('2026-03-01', 'resolution', 1, { dim: 'low' })];
    const { series } = buildSeries({ report: 'response-times', from: '2026-03-01', to: '2026-03-01', interval: 'day', groupBy: 'priority' }, rows);
    const high = series.filter((s) => s.dimension?.value === 'high');
    expect(high.map((s) => [s.key, s.points[0]!.value])).toEqual([
      ['first_reply_p50:high', 12.5],
      ['first_reply_p90:high', 40],
      ['resolution_p50:high', null],
      ['resolution_p90:high', null],
      ['solved:high', 0],
    ]);
    expect(series.filter((s) => s.dimension?.value === 'low').at(-1)!.points[0]!.value).toBe(1);
  });

  it('names the currency of field-service revenue when there is one', () => {
    const rows = [agg('2026-03-01', 'fs_revenue', 2, { key: 'EUR', amount: 15_000 }), agg('2026-03-01', 'fs_first_visit', 1, { key: 'EUR', amount: 0 })];
    const result = buildSeries({ report: 'field-service', from: '2026-03-01', to: '2026-03-01', interval: 'day', groupBy: null }, rows);
    expect(result.currency).toBe('EUR');
    expect(result.series.map((s) => [s.key, s.points[0]!.value])).toEqual([
      ['jobs_completed', 2],
      ['revenue', 15_000],
      ['first_time_fix', 50],
      ['scheduled_minutes', 0],
      ['clocked_minutes', 0],
      ['utilisation', null],
    ]);
    const rowsOut = reportRows({ report: 'field-service', title: '', timeZone: 'UTC', from: '2026-03-01', to: '2026-03-01', interval: 'day', groupBy: null, filters: { groupId: null, agentId: null }, currency: 'EUR', series: result.series, computedAt: null });
    expect(rowsOut[1]).toEqual({ period: '2026-03-01', series: 'revenue', label: 'Revenue (EUR)', dimension: null, dimensionValue: null, unit: 'minor', value: 15_000 });
  });
});

describe('applyViewer', () => {
  const params = parseReportParams('volume', {}, '2026-03-29');
  const me = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
  it('gives owners, admins and API keys every figure', () => {
    expect(applyViewer({ ...params, groupBy: 'agent' }, { userId: me, role: 'admin' })).toMatchObject({ groupBy: 'agent', agentId: null });
    expect(applyViewer(params, null)).toBe(params);
  });
  it('sets an agent’s own id and refuses another agent’s', () => {
    expect(applyViewer(params, { userId: me, role: 'agent' }).agentId).toBe(me);
    expect(problem(() => applyViewer({ ...params, agentId: 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb' }, { userId: me, role: 'agent' }))).toMatchObject({ status: 403 });
  });
  it('keeps viewers to team figures', () => {
    expect(problem(() => applyViewer({ ...params, groupBy: 'agent' }, { userId: me, role: 'viewer' }))).toMatchObject({ status: 403 });
    expect(applyViewer({ ...params, groupBy: 'channel' }, { userId: me, role: 'viewer' }).groupBy).toBe('channel');
  });
});

describe('levelFor (which rollup rows answer a report)', () => {
  const g = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
  it('reads the tenant’s or a dimension’s sums without filters, one filter’s sums alone, the grain otherwise', () => {
    expect(levelFor({ groupBy: null, groupId: null, agentId: null })).toBe('total');
    expect(levelFor({ groupBy: 'tag', groupId: null, agentId: null })).toBe('total');
    expect(levelFor({ groupBy: 'channel', groupId: null, agentId: null })).toBe('channel');
    expect(levelFor({ groupBy: null, groupId: g, agentId: null })).toBe('group');
    expect(levelFor({ groupBy: 'group', groupId: g, agentId: null })).toBe('group');
    expect(levelFor({ groupBy: null, groupId: null, agentId: g })).toBe('agent');
    expect(levelFor({ groupBy: 'channel', groupId: g, agentId: null })).toBe('grain');
    expect(levelFor({ groupBy: 'tag', groupId: null, agentId: g })).toBe('agent'); // every level keeps the tag row sets
    expect(levelFor({ groupBy: null, groupId: g, agentId: g })).toBe('grain');
  });
});
