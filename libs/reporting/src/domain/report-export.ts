import type { ReportResult } from './report';

/** The export's columns: one line per point of every series. */
export const REPORT_CSV_COLUMNS = ['period', 'series', 'label', 'dimension', 'dimension_value', 'unit', 'value'] as const;

export interface ReportExportRow {
  period: string;
  series: string;
  label: string;
  dimension: string | null;
  dimensionValue: string | null;
  unit: string;
  value: number | null;
}

/** The report's series as rows, period by period (pure). */
export function reportRows(result: ReportResult): ReportExportRow[] {
  const rows: ReportExportRow[] = [];
  for (const s of result.series) {
    for (const p of s.points) {
      rows.push({ period: p.period, series: s.key, label: s.label, dimension: s.dimension?.by ?? null, dimensionValue: s.dimension?.value ?? null, unit: s.unit, value: p.value });
    }
  }
  return rows.sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : 0));
}

export const reportCsvRecord = (r: ReportExportRow): (string | number | null)[] => [r.period, r.series, r.label, r.dimension, r.dimensionValue, r.unit, r.value];
