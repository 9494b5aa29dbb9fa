import { DateTime } from 'luxon';
import type { ReportResult } from '../domain/report';

/** The local hour on Monday from which a tenant's digest of the week before is due. */
export const DIGEST_LOCAL_HOUR = 7;

export interface DigestWeek {
  /** Monday and Sunday of the week the digest covers, local days `YYYY-MM-DD`. */
  weekStart: string;
  weekEnd: string;
}

/** The week before the one `now` falls in, in the tenant's zone. */
export function lastWeek(now: Date, timeZone: string): DigestWeek {
  const local = DateTime.fromJSDate(now, { zone: timeZone });
  const monday = local.startOf('day').minus({ days: local.weekday - 1 }).minus({ weeks: 1 });
  return { weekStart: monday.toISODate()!, weekEnd: monday.plus({ days: 6 }).toISODate()! };
}

/** Whether the digest of last week is due: it is Monday, the digest hour or later, in the tenant's zone. */
export function digestDue(now: Date, timeZone: string): boolean {
  const local = DateTime.fromJSDate(now, { zone: timeZone });
  return local.isValid && local.weekday === 1 && local.hour >= DIGEST_LOCAL_HOUR;
}

/** A week's monday, checked: a job's payload or an operator's request names one. */
export function isWeekStart(day: string): boolean {
  const d = DateTime.fromISO(day, { zone: 'UTC' });
  return /^\d{4}-\d{2}-\d{2}$/.test(day) && d.isValid && d.weekday === 1;
}

export function weekOf(weekStart: string): DigestWeek {
  return { weekStart, weekEnd: DateTime.fromISO(weekStart, { zone: 'UTC' }).plus({ days: 6 }).toISODate()! };
}

/** The reports a digest reads, each for the week as one period (`interval: week`). */
export const DIGEST_REPORTS = ['volume', 'backlog', 'response-times', 'sla', 'csat'] as const;
export type DigestReports = Record<(typeof DIGEST_REPORTS)[number], ReportResult>;

export interface DigestFigure {
  key: 'created' | 'solved' | 'backlog' | 'first_reply_p90' | 'sla' | 'csat';
  label: string;
  /** Null: no data that week (a ratio or percentile without cases). */
  value: number | null;
  unit: 'count' | 'minutes' | 'percent';
}

/** A series' value in the week's one period; null when absent or empty. */
function valueOf(result: ReportResult, key: string): number | null {
  const series = result.series.find((s) => s.key === key);
  if (!series) return null;
  const values = series.points.map((p) => p.value).filter((v): v is number => v !== null);
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0);
}

/** The last known value of a level (the backlog at the week's end). */
function lastOf(result: ReportResult, key: string): number | null {
  const points = result.series.find((s) => s.key === key)?.points ?? [];
  for (let i = points.length - 1; i >= 0; i--) if (points[i]!.value !== null) return points[i]!.value;
  return null;
}

/**
 * The digest's key figures. SLA: attainment in percent where the report gives it (`attainment`),
 * else computed from targets met and breached, else the week's breaches as a count.
 */
export function digestFigures(reports: DigestReports): DigestFigure[] {
  const sla = slaFigure(reports.sla);
  return [
    { key: 'created', label: 'Tickets created', value: valueOf(reports.volume, 'created') ?? 0, unit: 'count' },
    { key: 'solved', label: 'Tickets solved', value: valueOf(reports.volume, 'solved') ?? 0, unit: 'count' },
    { key: 'backlog', label: 'Open tickets at the end of the week', value: lastOf(reports.backlog, 'backlog'), unit: 'count' },
    { key: 'first_reply_p90', label: 'First reply, 90th percentile', value: valueOf(reports['response-times'], 'first_reply_p90'), unit: 'minutes' },
    sla,
    { key: 'csat', label: 'Customer satisfaction', value: valueOf(reports.csat, 'score'), unit: 'percent' },
  ];
}

function slaFigure(result: ReportResult): DigestFigure {
  const attainment = valueOf(result, 'attainment');
  if (attainment !== null) return { key: 'sla', label: 'SLA targets met', value: attainment, unit: 'percent' };
  const met = valueOf(result, 'met');
  const breached = valueOf(result, 'breached');
  if (met !== null && breached !== null && met + breached > 0) return { key: 'sla', label: 'SLA targets met', value: (100 * met) / (met + breached), unit: 'percent' };
  return { key: 'sla', label: 'SLA targets breached', value: breached ?? 0, unit: 'count' };
}

export function formatFigure(figure: DigestFigure): string {
  if (figure.value === null) return '—';
  switch (figure.unit) {
    case 'count':
      return Math.round(figure.value).toLocaleString('en');
    case 'percent':
      return `${(Math.round(figure.value * 10) / 10).toLocaleString('en')} %`;
    case 'minutes': {
      const minutes = Math.round(figure.value);
      if (minutes < 60) return `${minutes} min`;
      const hours = Math.floor(minutes / 60);
      return `${hours} h ${minutes % 60} min`;
    }
  }
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export interface DigestMail {
  subject: string;
  text: string;
  html: string;
  attachments: { filename: string; contentType: string; content: string }[];
}

/**
 * The mail: figures as a plain-text list and an HTML table (every client shows those), the volume
 * chart as an SVG attachment (many clients do not draw SVG inline; the figures do not depend on it).
 */
export function digestMail(input: { tenantName: string; week: DigestWeek; timeZone: string; figures: DigestFigure[]; chartSvg: string | null }): DigestMail {
  const { tenantName, week, timeZone, figures, chartSvg } = input;
  const period = `${week.weekStart} – ${week.weekEnd}`;
  const subject = `${tenantName}: your week in Switchboard (${period})`;
  const width = Math.max(...figures.map((f) => f.label.length));
  const text = [
    `Last week at ${tenantName} (${period}, ${timeZone}):`,
    '',
    ...figures.map((f) => `${f.label.padEnd(width)}  ${formatFigure(f)}`),
    '',
    chartSvg ? 'The ticket volume by day is attached (volume.svg).' : null,
    'The reports: the console’s Reports page (/console/reports).',
    '',
    'Owners and admins receive this digest every Monday morning; an owner or admin can turn it off (PUT /v1/report-digest with "weeklyEnabled": false).',
  ]
    .filter((l) => l !== null)
    .join('\n');
  const rows = figures.map((f) => `<tr><th scope="row" style="text-align:left;padding:4px 16px 4px 0;font-weight:normal">${escapeHtml(f.label)}</th><td style="text-align:right;padding:4px 0" data-figure="${f.key}">${escapeHtml(formatFigure(f))}</td></tr>`);
  const html = [
    '<!doctype html><html><body style="font-family:sans-serif;color:#1d2233">',
    `<h1 style="font-size:18px">Last week at ${escapeHtml(tenantName)}</h1>`,
    `<p style="color:#6b7080">${escapeHtml(period)} · ${escapeHtml(timeZone)}</p>`,
    `<table role="presentation" style="border-collapse:collapse">${rows.join('')}</table>`,
    chartSvg ? '<p>The ticket volume by day is attached (volume.svg).</p>' : '',
    '<p>More in the console’s Reports page.</p>',
    '<p style="color:#6b7080;font-size:12px">Owners and admins receive this digest every Monday morning; an owner or admin can turn it off.</p>',
    '</body></html>',
  ].join('');
  return { subject, text, html, attachments: chartSvg ? [{ filename: 'volume.svg', contentType: 'image/svg+xml', content: chartSvg }] : [] };
}
