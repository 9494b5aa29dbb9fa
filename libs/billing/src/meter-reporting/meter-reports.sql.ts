import type { Statement } from '@switchboard/platform';
import type { GaugeCategory, NewGaugeReport, NewMeterReport, ReportCategory } from './meter-slices';

const REPORT_COLUMNS = `tenant_id, identifier, category, dimension, to_char(day, 'YYYY-MM-DD') AS day, seq, quantity, event_name, stripe_customer_id, event_at, status, attempts, last_error, created_at, sent_at`;

export interface MeterReportRow {
  tenant_id: string;
  identifier: string;
  category: ReportCategory;
  dimension: string;
  day: string;
  seq: number;
  quantity: string;
  event_name: string;
  stripe_customer_id: string;
  event_at: Date;
  status: 'pending' | 'sent' | 'rejected';
  attempts: number;
  last_error: string | null;
  created_at: Date;
  sent_at: Date | null;
}

export interface BillingCustomerRow {
  tenant_id: string;
  stripe_customer_id: string;
  current_period_start: Date | null;
  current_period_end: Date | null;
}

export interface ReconciliationRow {
  tenant_id: string;
  period_start: string;
  period_end: string;
  category: ReportCategory;
  ours: string;
  reported: string;
  pending: string;
  stripe: string;
  checked_at: Date;
  /** checked_at to the microsecond, for the cursor. */
  checked_key: string;
}

export const meterReportsSql = {
  /** Tenants with a Stripe customer (every tenant; run as the owner). */
  customers: (): Statement => ({
    sql: `SELECT tenant_id, stripe_customer_id, current_period_start, current_period_end FROM billing_subscriptions WHERE stripe_customer_id IS NOT NULL ORDER BY tenant_id`,
  }),
  /** Daily usage of the meter categories from a day on. */
  usageSince: (tenantId: string, from: string): Statement => ({
    sql: `SELECT to_char(day, 'YYYY-MM-DD') AS day, category, dimension, quantity FROM billing_usage_daily
           WHERE tenant_id = $1 AND day >= $2::date AND category IN ('api_requests', 'ai_tokens')`,
    params: [tenantId, from],
  }),
  /** Per slice, what has been decided so far (sent, pending or rejected) and its last sequence number. */
  reportedSince: (tenantId: string, from: string): Statement => ({
    sql: `SELECT category, dimension, to_char(day, 'YYYY-MM-DD') AS day, sum(quantity) AS quantity, max(seq) AS seq FROM billing_meter_reports
           WHERE tenant_id = $1 AND day >= $2::date AND category IN ('api_requests', 'ai_tokens') GROUP BY category, dimension, day`,
    params: [tenantId, from],
  }),
  /** A decided report; a concurrent run that decided the same slice's seq first wins (no row back). */
  insert: (tenantId: string, r: NewMeterReport | NewGaugeReport, eventName: string, customerId: string): Statement => ({
    sql: `INSERT INTO billing_meter_reports (tenant_id, identifier, category, dimension, day, seq, quantity, event_name, stripe_customer_id, event_at)
          VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING RETURNING identifier`,
    params: [tenantId, r.identifier, r.category, r.dimension, r.day, r.seq, r.quantity, eventName, customerId, r.eventAt],
  }),
  /** Raises the period's high-water of a gauge to `value` (never lowers it); answers the high-water. */
  raiseGauge: (tenantId: string, periodStart: string, category: GaugeCategory, value: number): Statement => ({
    sql: `INSERT INTO billing_meter_gauges AS g (tenant_id, period_start, category, high_water) VALUES ($1, $2, $3, $4)
          ON CONFLICT (tenant_id, period_start, category) DO UPDATE SET high_water = GREATEST(g.high_water, excluded.high_water), observed_at = now()
          RETURNING high_water`,
    params: [tenantId, periodStart, category, value],
  }),
  /** The highest value decided for a gauge in a period, and its last sequence number (no row: none yet). */
  lastGaugeReport: (tenantId: string, category: GaugeCategory, periodStart: string): Statement => ({
    sql: `SELECT max(quantity) AS quantity, max(seq) AS seq FROM billing_meter_reports WHERE tenant_id = $1 AND category = $2 AND day = $3::date HAVING count(*) > 0`,
    params: [tenantId, category, periodStart],
  }),
  /** A period's high-water marks. */
  gauges: (tenantId: string, periodStart: string): Statement => ({
    sql: `SELECT category, high_water FROM billing_meter_gauges WHERE tenant_id = $1 AND period_start = $2::date`,
    params: [tenantId, periodStart],
  }),
  /** Our high-water of each gauge in a period, the highest value sent and the highest not (yet) sent. */
  periodGauges: (tenantId: string, periodStart: string): Statement => ({
    sql: `SELECT c.category,
                 COALESCE((SELECT g.high_water FROM billing_meter_gauges g WHERE g.tenant_id = $1 AND g.period_start = $2::date AND g.category = c.category), 0) AS ours,
                 COALESCE((SELECT max(r.quantity) FROM billing_meter_reports r WHERE r.tenant_id = $1 AND r.category = c.category AND r.day = $2::date AND r.status = 'sent'), 0) AS reported,
                 COALESCE((SELECT max(r.quantity) FROM billing_meter_reports r WHERE r.tenant_id = $1 AND r.category = c.category AND r.day = $2::date AND r.status <> 'sent'), 0) AS pending
            FROM (VALUES ('storage_bytes'), ('seats')) AS c (category)`,
    params: [tenantId, periodStart],
  }),
  /** The oldest reports still to send, every tenant (run as the owner). */
  pending: (limit: number): Statement => ({
    sql: `SELECT ${REPORT_COLUMNS} FROM billing_meter_reports WHERE status = 'pending' ORDER BY created_at, tenant_id, identifier LIMIT $1`,
    params: [limit],
  }),
  sent: (tenantId: string, identifier: string): Statement => ({
    sql: `UPDATE billing_meter_reports SET status = 'sent', sent_at = now(), attempts = attempts + 1, last_error = NULL WHERE tenant_id = $1 AND identifier = $2 AND status = 'pending'`,
    params: [tenantId, identifier],
  }),
  failed: (tenantId: string, identifier: string, error: string, rejected: boolean): Statement => ({
    sql: `UPDATE billing_meter_reports SET attempts = attempts + 1, last_error = $3, status = CASE WHEN $4 THEN 'rejected' ELSE status END
           WHERE tenant_id = $1 AND identifier = $2 AND status = 'pending'`,
    params: [tenantId, identifier, error.slice(0, 500), rejected],
  }),
  /** A tenant's reports, newest first (operators and tests). */
  ofTenant: (tenantId: string, limit: number): Statement => ({
    sql: `SELECT ${REPORT_COLUMNS} FROM billing_meter_reports WHERE tenant_id = $1 ORDER BY created_at DESC, identifier LIMIT $2`,
    params: [tenantId, limit],
  }),
  /** Our usage and our reports of a period, by category. */
  periodTotals: (tenantId: string, from: string, to: string): Statement => ({
    sql: `SELECT c.category,
                 COALESCE((SELECT sum(u.quantity) FROM billing_usage_daily u WHERE u.tenant_id = $1 AND u.category = c.category AND u.day >= $2::date AND u.day < $3::date), 0) AS ours,
                 COALESCE((SELECT sum(r.quantity) FROM billing_meter_reports r WHERE r.tenant_id = $1 AND r.category = c.category AND r.day >= $2::date AND r.day < $3::date AND r.status = 'sent'), 0) AS reported,
                 COALESCE((SELECT sum(r.quantity) FROM billing_meter_reports r WHERE r.tenant_id = $1 AND r.category = c.category AND r.day >= $2::date AND r.day < $3::date AND r.status <> 'sent'), 0) AS pending
            FROM (VALUES ('api_requests'), ('ai_tokens')) AS c (category)`,
    params: [tenantId, from, to],
  }),
  saveReconciliation: (tenantId: string, periodStart: string, periodEnd: string, line: { category: ReportCategory; ours: number; reported: number; pending: number; stripe: number }): Statement => ({
    sql: `INSERT INTO billing_meter_reconciliations AS r (tenant_id, period_start, period_end, category, ours, reported, pending, stripe) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
          ON CONFLICT (tenant_id, period_start, category) DO UPDATE SET period_end = excluded.period_end, ours = excluded.ours, reported = excluded.reported,
            pending = excluded.pending, stripe = excluded.stripe, checked_at = now()`,
    params: [tenantId, periodStart, periodEnd, line.category, line.ours, line.reported, line.pending, line.stripe],
  }),
  /**
   * Operators' view, every tenant (run as the owner): the latest check of each tenant's current
   * period first, keyset on (checked_at, tenant_id, category); `differencesOnly` keeps lines where Stripe disagrees.
   */
  reconciliations: (limit: number, after: { checkedAt: string; tenantId: string; category: string } | null, differencesOnly: boolean, tenantId: string | null): Statement => ({
    sql: `SELECT tenant_id, to_char(period_start, 'YYYY-MM-DD') AS period_start, to_char(period_end, 'YYYY-MM-DD') AS period_end, category, ours, reported, pending, stripe, checked_at,
                 to_char(checked_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS checked_key
            FROM billing_meter_reconciliations
           WHERE ($2::boolean IS FALSE OR ours <> stripe OR reported <> stripe)
             AND ($3::uuid IS NULL OR tenant_id = $3)
             AND ($4::timestamptz IS NULL OR (checked_at, tenant_id, category) < ($4::timestamptz, $5::uuid, $6::text))
           ORDER BY checked_at DESC, tenant_id DESC, category DESC LIMIT $1`,
    params: [limit, differencesOnly, tenantId, after?.checkedAt ?? null, after?.tenantId ?? null, after?.category ?? null],
  }),
  /** The /metrics gauges: the latest line of every tenant's latest period, summed per category. */
  differenceTotals: (): Statement => ({
    sql: `SELECT category, sum(abs(ours - stripe)) AS difference, sum(abs(reported - stripe)) AS unexplained,
                 count(*) FILTER (WHERE reported <> stripe) AS tenants_unexplained
            FROM (SELECT DISTINCT ON (tenant_id, category) * FROM billing_meter_reconciliations ORDER BY tenant_id, category, period_start DESC) latest
           GROUP BY category`,
  }),
};
