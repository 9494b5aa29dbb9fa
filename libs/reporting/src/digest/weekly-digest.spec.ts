import type { ReportResult, ReportSeries } from '../domain/report';
import { digestDue, digestFigures, digestMail, formatFigure, isWeekStart, lastWeek, weekOf, type DigestReports } from './weekly-digest';

const result = (report: ReportResult['report'], series: (Pick<ReportSeries, 'key' | 'unit'> & { values: (number | null)[] })[]): ReportResult => ({
  report,
  title: report,
  timeZone: 'Europe/Berlin',
  from: '2026-11-30',
  to: '2026-12-06',
  interval: 'week',
  groupBy: null,
  filters: { groupId: null, agentId: null },
  currency: null,
  series: series.map((s) => ({ key: s.key, label: s.key, unit: s.unit, points: s.values.map((value, i) => ({ period: `2026-11-${30 + i}`, value })) })),
  computedAt: null,
});

const reports = (over: Partial<DigestReports> = {}): DigestReports => ({
  volume: result('volume', [{ key: 'created', unit: 'count', values: [12] }, { key: 'solved', unit: 'count', values: [9] }]),
  backlog: result('backlog', [{ key: 'backlog', unit: 'count', values: [7] }]),
  'response-times': result('response-times', [{ key: 'first_reply_p90', unit: 'minutes', values: [135] }]),
  sla: result('sla', [{ key: 'breached', unit: 'count', values: [2] }]),
  csat: result('csat', [{ key: 'score', unit: 'percent', values: [87.5] }]),
  ...over,
});

describe('weekly digest timing', () => {
  it('covers the Monday-to-Sunday week before, in the tenant’s zone', () => {
    // Monday 7 Dec 2026, 06:30 UTC: already Monday 19:30 in Auckland, still Sunday evening in Los Angeles.
    const now = new Date('2026-12-07T06:30:00Z');
    expect(lastWeek(now, 'Pacific/Auckland')).toEqual({ weekStart: '2026-11-30', weekEnd: '2026-12-06' });
    expect(lastWeek(now, 'America/Los_Angeles')).toEqual({ weekStart: '2026-11-23', weekEnd: '2026-11-29' });
    expect(lastWeek(new Date('2026-12-13T22:59:00Z'), 'Europe/Berlin')).toEqual({ weekStart: '2026-11-30', weekEnd: '2026-12-06' });
  });

  it('is due from 07:00 on the tenant’s Monday, not before and not on other days', () => {
    expect(digestDue(new Date('2026-12-07T05:59:00Z'), 'Europe/Berlin')).toBe(false); // 06:59 local
    expect(digestDue(new Date('2026-12-07T06:00:00Z'), 'Europe/Berlin')).toBe(true); // 07:00 local
    expect(digestDue(new Date('2026-12-07T22:59:00Z'), 'Europe/Berlin')).toBe(true); // 23:59 local
    expect(digestDue(new Date('2026-12-07T23:00:00Z'), 'Europe/Berlin')).toBe(false); // Tuesday
    expect(digestDue(new Date('2026-12-06T19:00:00Z'), 'Pacific/Auckland')).toBe(true); // Monday 08:00 there
    expect(digestDue(new Date('2026-12-07T12:00:00Z'), 'Not/A_Zone')).toBe(false);
  });

  it('accepts only Mondays as a week’s start', () => {
    expect(isWeekStart('2026-11-30')).toBe(true);
    expect(isWeekStart('2026-12-01')).toBe(false);
    expect(isWeekStart('2026-13-01')).toBe(false);
    expect(isWeekStart('2026-11-30T00:00')).toBe(false);
    expect(weekOf('2026-12-28')).toEqual({ weekStart: '2026-12-28', weekEnd: '2027-01-03' });
  });
});

describe('digestFigures', () => {
  it('reads created, solved, the backlog at the week’s end, first-reply p90, SLA and CSAT', () => {
    const figures = digestFigures(reports({ backlog: result('backlog', [{ key: 'backlog', unit: 'count', values: [5, 8, null] }]) }));
    expect(Object.fromEntries(figures.map((f) => [f.key, f.value]))).toEqual({ created: 12, solved: 9, backlog: 8, first_reply_p90: 135, sla: 2, csat: 87.5 });
    expect(figures.find((f) => f.key === 'sla')).toMatchObject({ label: 'SLA targets breached', unit: 'count' });
  });

  it('gives SLA attainment in percent when the report has it, or from targets met and breached', () => {
    const direct = digestFigures(reports({ sla: result('sla', [{ key: 'attainment', unit: 'percent', values: [96] }]) }));
    expect(direct.find((f) => f.key === 'sla')).toMatchObject({ label: 'SLA targets met', value: 96, unit: 'percent' });
    const computed = digestFigures(reports({ sla: result('sla', [{ key: 'met', unit: 'count', values: [18] }, { key: 'breached', unit: 'count', values: [2] }]) }));
    expect(computed.find((f) => f.key === 'sla')).toMatchObject({ value: 90, unit: 'percent' });
  });

  it('keeps “no data” apart from zero', () => {
    const figures = digestFigures(reports({ 'response-times': result('response-times', [{ key: 'first_reply_p90', unit: 'minutes', values: [null] }]), csat: result('csat', []) }));
    expect(figures.find((f) => f.key === 'first_reply_p90')!.value).toBeNull();
    expect(figures.find((f) => f.key === 'csat')!.value).toBeNull();
    expect(formatFigure(figures.find((f) => f.key === 'csat')!)).toBe('—');
  });

  it('formats counts, minutes and percentages', () => {
    expect(formatFigure({ key: 'created', label: '', value: 1234, unit: 'count' })).toBe('1,234');
    expect(formatFigure({ key: 'first_reply_p90', label: '', value: 42.4, unit: 'minutes' })).toBe('42 min');
    expect(formatFigure({ key: 'first_reply_p90', label: '', value: 135, unit: 'minutes' })).toBe('2 h 15 min');
    expect(formatFigure({ key: 'csat', label: '', value: 87.46, unit: 'percent' })).toBe('87.5 %');
  });
});

describe('digestMail', () => {
  it('puts the figures in the text and an escaped HTML table, and the chart as an SVG attachment', () => {
    const mail = digestMail({ tenantName: 'Acme <Support>', week: { weekStart: '2026-11-30', weekEnd: '2026-12-06' }, timeZone: 'Europe/Berlin', figures: digestFigures(reports()), chartSvg: '<svg xmlns="http://www.w3.org/2000/svg"></svg>' });
    expect(mail.subject).toBe('Acme <Support>: your week in Switchboard (2026-11-30 – 2026-12-06)');
    expect(mail.text).toMatch(/Tickets created\s+12\n/);
    expect(mail.text).toMatch(/First reply, 90th percentile\s+2 h 15 min/);
    expect(mail.html).toContain('Last week at Acme &lt;Support&gt;');
    expect(mail.html).not.toContain('<Support>');
    expect(mail.html).toContain('<td style="text-align:right;padding:4px 0" data-figure="csat">87.5 %</td>');
    expect(mail.attachments).toEqual([{ filename: 'volume.svg', contentType: 'image/svg+xml', content: '<svg xmlns="http://www.w3.org/2000/svg"></svg>' }]);
    expect(digestMail({ tenantName: 'Acme', week: { weekStart: '2026-11-30', weekEnd: '2026-12-06' }, timeZone: 'UTC', figures: [], chartSvg: null }).attachments).toEqual([]);
  });
});
