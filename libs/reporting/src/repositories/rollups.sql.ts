import type { Statement } from '@switchboard/platform';
import type { ReportGrouping, ReportInterval } from '../domain/report';
import type { Aggregate } from '../domain/report-builder';
import type { DirtySpan } from '../domain/rollup-spans';

/**
 * The daily rollups' statements (ADR 0059). A day's rows are recomputed wholesale from the
 * per-ticket metrics, status intervals and recorded facts — DELETE then INSERT … SELECT — so a
 * recompute is idempotent and the rows always equal a direct aggregation. RollupsRepository runs them.
 */

/** Entering solved or closed counts as a solve; leaving them, a reopen; any other status is open (backlog). */
const DONE = `('solved', 'closed')`;

/** A fact recorded from another context's event (one row per fact id; a later event of the same fact replaces it). */
export interface ReportFact {
  source: FactSource;
  factId: string;
  at: string;
  ticketId: string | null;
  groupId: string | null;
  agentId: string | null;
  key: string;
  n: number;
  amount: number;
  amount2: number;
  /** Set for a fact that lasts (a visit's slot, a clock interval): it counts on every local day it overlaps, in seconds (`amount`). */
  endsAt: string | null;
  /** Orders the events about one fact: an event older than the stored fact changes nothing. */
  version: number;
}
export type FactSource =
  | 'sla_breached'
  | 'sla_fulfilled'
  | 'csat'
  | 'csat_offered'
  | 'job_completed'
  | 'visit_scheduled'
  | 'visit_clocked'
  | 'ai_usage'
  | 'ai_suggestion_offered'
  | 'ai_suggestion_decided';

/** One aggregated figure as the report builder reads it. */
export type AggregateRow = Aggregate;

/** The column a grouping reads; tag rows are a separate row set (a ticket once per tag). */
export const GROUP_COLUMN: Record<ReportGrouping, string> = { group: 'group_id', agent: 'agent_id', channel: 'channel', priority: 'priority', tag: 'tag' };

/** Each recomputed day writes this marker row: the backlog of a day without one is the last marked day's (nothing changed since). */
export const COMPUTED_MARKER = 'computed';

export interface ReportFilter {
  tenantId: string;
  from: string;
  to: string;
  interval: ReportInterval;
  groupBy: ReportGrouping | null;
  groupId: string | null;
  agentId: string | null;
}

const dimension = (groupBy: ReportGrouping | null) => (groupBy ? GROUP_COLUMN[groupBy] : `''`);

/** Row levels: the finest grain, and the same figures summed per dimension and for the whole tenant. */
export type RollupLevel = 'grain' | 'total' | 'group' | 'agent' | 'channel' | 'priority';

/**
 * The cheapest level that answers a grouping and filters: a report without filters reads the sums
 * (one row per day and metric for the whole tenant, or per value of its grouping); one filter
 * alone reads that dimension's sums; any other combination reads the finest grain.
 */
export function levelFor(f: Pick<ReportFilter, 'groupBy' | 'groupId' | 'agentId'>): RollupLevel {
  const by = f.groupBy === 'tag' ? null : f.groupBy;
  if (f.groupId === null && f.agentId === null) return by ?? 'total';
  if (f.groupId !== null && f.agentId === null && (by === null || by === 'group')) return 'group';
  if (f.agentId !== null && f.groupId === null && (by === null || by === 'agent')) return 'agent';
  return 'grain';
}
const tagRows = (groupBy: ReportGrouping | null) => (groupBy === 'tag' ? `tag <> ''` : `tag = ''`);

export const rollupsSql = {
  /** Marks instants whose days need recomputing (one row per span; the rollup job reads and deletes them). */
  markDirty: (tenantId: string, spans: readonly DirtySpan[]): Statement => ({
    sql: `INSERT INTO reporting_rollup_dirty (tenant_id, from_at, to_at) SELECT $1, * FROM unnest($2::timestamptz[], $3::timestamptz[])`,
    params: [tenantId, spans.map((s) => s.from), spans.map((s) => s.to)],
  }),
  /** Every day from the tenant's first ticket or fact to today (a rebuild, or a time-zone change). */
  markAll: (tenantId: string): Statement => ({
    sql: `INSERT INTO reporting_rollup_dirty (tenant_id, from_at, to_at)
          SELECT $1, least((SELECT min(created_at) FROM reporting_ticket_metrics WHERE tenant_id = $1), (SELECT min(at) FROM reporting_facts WHERE tenant_id = $1), now()), NULL`,
    params: [tenantId],
  }),
  /** Tenants with days to recompute (across tenants: the sweep runs as the system). */
  dirtyTenants: (limit: number): Statement => ({
    sql: `SELECT DISTINCT tenant_id FROM reporting_rollup_dirty LIMIT $1`,
    params: [limit],
  }),
  /** The tenant's rollup state, locked: one recompute of a tenant at a time. */
  lockState: (tenantId: string, timeZone: string): Statement => ({
    sql: `INSERT INTO reporting_rollup_state AS s (tenant_id, time_zone) VALUES ($1, $2)
          ON CONFLICT (tenant_id) DO UPDATE SET computed_at = s.computed_at
          RETURNING time_zone`,
    params: [tenantId, timeZone],
  }),
  setTimeZone: (tenantId: string, timeZone: string): Statement => ({
    sql: `UPDATE reporting_rollup_state SET time_zone = $2, computed_at = now() WHERE tenant_id = $1`,
    params: [tenantId, timeZone],
  }),
  /**
   * Takes the marks committed so far and answers their local days, oldest first (a span without
   * an end runs to today in the zone, or to its own day when that is later). Marks committed later
   * stay for the next run.
   */
  takeDirtyDays: (tenantId: string, timeZone: string): Statement => ({
    sql: `WITH taken AS (DELETE FROM reporting_rollup_dirty WHERE tenant_id = $1 RETURNING from_at, to_at)
          SELECT DISTINCT to_char(d, 'YYYY-MM-DD') AS day FROM taken,
            generate_series((from_at AT TIME ZONE $2)::date, (GREATEST(COALESCE(to_at, now()), from_at) AT TIME ZONE $2)::date, interval '1 day') AS d
          ORDER BY 1`,
    params: [tenantId, timeZone],
  }),
  deleteDays: (tenantId: string, days: readonly string[]): Statement => ({
    sql: `DELETE FROM reporting_daily_rollups WHERE tenant_id = $1 AND day = ANY($2::date[])`,
    params: [tenantId, days],
  }),
  /**
   * The days' rows, by SQL aggregation over what reporting keeps. A local day runs from its
   * midnight to the next one in the zone (23 or 25 hours across a DST change). Tickets count in
   * their dimensions now, once per row set: all tickets (tag '') and once per tag. One statement
   * writes the finest grain and, by GROUPING SETS, its sums per dimension and for the tenant.
   */
  insertDays: (tenantId: string, timeZone: string, days: readonly string[]): Statement => ({
    sql: `WITH d AS (
            SELECT day, (day::timestamp AT TIME ZONE $2) AS s, ((day + 1)::timestamp AT TIME ZONE $2) AS e FROM unnest($3::date[]) AS day
          ),
          span AS (SELECT min(s) AS lo, max(e) AS hi FROM d),
          -- The tickets these days can count: a status entered within them (creation, a solve, a
          -- reopen) or open across one of their ends. Old solved tickets stay out of the scan.
          rel AS MATERIALIZED (
            SELECT DISTINCT i.ticket_id FROM reporting_status_intervals i, span
             WHERE i.tenant_id = $1 AND i.started_at >= span.lo AND i.started_at < span.hi
            UNION
            SELECT i.ticket_id FROM reporting_status_intervals i, span
             WHERE i.tenant_id = $1 AND i.status NOT IN ${DONE} AND i.started_at < span.hi AND (i.ended_at IS NULL OR i.ended_at >= span.lo)
          ),
          t AS MATERIALIZED (
            SELECT m.ticket_id, m.created_at, m.solved_at, m.first_reply_minutes, m.full_resolution_minutes,
                   COALESCE(m.group_id::text, '') AS g, COALESCE(m.assignee_id::text, '') AS a, m.channel AS c, m.priority AS p, tag
              FROM reporting_ticket_metrics m CROSS JOIN LATERAL unnest(ARRAY[''] || m.tags) AS tag
             WHERE m.tenant_id = $1 AND m.ticket_id IN (SELECT ticket_id FROM rel)
          ),
          iv AS MATERIALIZED (
            SELECT ticket_id, status, started_at, ended_at, lag(status) OVER (PARTITION BY ticket_id ORDER BY seq) AS prev
              FROM reporting_status_intervals WHERE tenant_id = $1 AND ticket_id IN (SELECT ticket_id FROM rel)
          ),
          f (day, g, a, c, p, tag, metric, key, n, amount, v) AS (
            SELECT d.day, t.g, t.a, t.c, t.p, t.tag, 'created', '', 1::bigint, 0::bigint, NULL::float8 FROM d JOIN t ON t.created_at >= d.s AND t.created_at < d.e
            UNION ALL
            SELECT d.day, t.g, t.a, t.c, t.p, t.tag, CASE WHEN iv.status IN ${DONE} THEN 'solved' ELSE 'reopened' END, '', 1, 0, NULL
              FROM d JOIN iv ON iv.started_at >= d.s AND iv.started_at < d.e
                     AND ((iv.status IN ${DONE} AND (iv.prev IS NULL OR iv.prev NOT IN ${DONE})) OR (iv.status NOT IN ${DONE} AND iv.prev IN ${DONE}))
                     JOIN t ON t.ticket_id = iv.ticket_id
            UNION ALL
            SELECT d.day, t.g, t.a, t.c, t.p, t.tag, 'backlog', '', 1, 0, NULL
              FROM d JOIN iv ON iv.status NOT IN ${DONE} AND iv.started_at < d.e AND (iv.ended_at IS NULL OR iv.ended_at >= d.e)
                     JOIN t ON t.ticket_id = iv.ticket_id
            UNION ALL
            SELECT d.day, t.g, t.a, t.c, t.p, t.tag, x.metric, '', 1, 0, x.v
              FROM d JOIN t ON t.solved_at >= d.s AND t.solved_at < d.e
                     CROSS JOIN LATERAL (VALUES ('first_reply', t.first_reply_minutes), ('resolution', t.full_resolution_minutes)) AS x (metric, v)
             WHERE x.v IS NOT NULL
            UNION ALL
            SELECT d.day, fa.group_id, fa.agent_id, '', '', '', x.metric, x.key, x.n, x.amount, NULL
              FROM d JOIN reporting_facts fa ON fa.tenant_id = $1 AND fa.at >= d.s AND fa.at < d.e AND fa.ends_at IS NULL AND fa.n > 0
                     CROSS JOIN LATERAL (VALUES
                       (CASE fa.source WHEN 'ai_usage' THEN 'ai_tokens' WHEN 'job_completed' THEN 'fs_revenue' WHEN 'sla_fulfilled' THEN 'sla_met' ELSE fa.source END, fa.key, fa.n, fa.amount),
                       (CASE fa.source WHEN 'ai_usage' THEN 'ai_cost_micros' WHEN 'job_completed' THEN 'fs_first_visit' END, fa.key, CASE WHEN fa.source = 'job_completed' THEN (fa.amount2 = 1)::int ELSE fa.n END, fa.amount2)
                     ) AS x (metric, key, n, amount)
             WHERE x.metric IS NOT NULL
            UNION ALL
            -- Facts that last count on each day they overlap: once per day, with the seconds within it.
            SELECT d.day, fa.group_id, fa.agent_id, '', '', '', CASE fa.source WHEN 'visit_scheduled' THEN 'fs_scheduled' ELSE 'fs_clocked' END, fa.key, 1,
                   round(extract(epoch FROM least(fa.ends_at, d.e) - greatest(fa.at, d.s)))::bigint, NULL
              FROM d JOIN reporting_facts fa ON fa.tenant_id = $1 AND fa.ends_at IS NOT NULL AND fa.ends_at > d.s AND fa.at < d.e AND fa.n > 0
          ),
          marked AS (
            INSERT INTO reporting_daily_rollups (tenant_id, day, level, metric) SELECT $1, day, 'total', '${COMPUTED_MARKER}' FROM d
          )
          INSERT INTO reporting_daily_rollups (tenant_id, day, level, group_id, agent_id, channel, priority, tag, metric, key, n, amount, vals, computed_at)
          SELECT $1, day, CASE GROUPING(g, a, c, p) WHEN 0 THEN 'grain' WHEN 15 THEN 'total' WHEN 7 THEN 'group' WHEN 11 THEN 'agent' WHEN 13 THEN 'channel' ELSE 'priority' END,
                 COALESCE(g, ''), COALESCE(a, ''), COALESCE(c, ''), COALESCE(p, ''), tag, metric, key, sum(n), sum(amount), array_agg(v ORDER BY v) FILTER (WHERE v IS NOT NULL), now()
            FROM f GROUP BY day, tag, metric, key, GROUPING SETS ((g, a, c, p), (), (g), (a), (c), (p))`,
    params: [tenantId, timeZone, days],
  }),
  /** Records or replaces a fact unless the stored one has a higher version; answers nothing when it kept the stored one, else the replaced fact's span (null on insert). */
  upsertFact: (tenantId: string, f: ReportFact): Statement => ({
    sql: `INSERT INTO reporting_facts AS r (tenant_id, source, fact_id, at, ticket_id, group_id, agent_id, key, n, amount, amount2, ends_at, version)
          VALUES ($1, $2, $3, $4, $5, COALESCE($6, ''), COALESCE($7, ''), $8, $9, $10, $11, $12, $13)
          ON CONFLICT (tenant_id, source, fact_id) DO UPDATE SET at = EXCLUDED.at, ticket_id = EXCLUDED.ticket_id, group_id = EXCLUDED.group_id, agent_id = EXCLUDED.agent_id,
            key = EXCLUDED.key, n = EXCLUDED.n, amount = EXCLUDED.amount, amount2 = EXCLUDED.amount2, ends_at = EXCLUDED.ends_at, version = EXCLUDED.version
          WHERE r.version <= EXCLUDED.version
          RETURNING (SELECT o.at FROM reporting_facts o WHERE o.tenant_id = $1 AND o.source = $2 AND o.fact_id = $3) AS previous_at,
                    (SELECT o.ends_at FROM reporting_facts o WHERE o.tenant_id = $1 AND o.source = $2 AND o.fact_id = $3) AS previous_ends_at`,
    params: [tenantId, f.source, f.factId, f.at, f.ticketId, f.groupId, f.agentId, f.key, f.n, f.amount, f.amount2, f.endsAt, f.version],
  }),
  /**
   * A report's sums and percentiles per period and dimension value, from the rollups alone: counts
   * and amounts add up; percentiles are computed over the union of the days' values (exact).
   */
  aggregate: (f: ReportFilter, metrics: readonly string[], percentiles: boolean): Statement => {
    const rows = `SELECT date_trunc($4, day::timestamp)::date AS period, ${dimension(f.groupBy)} AS dim, metric, key, n, amount, vals
              FROM reporting_daily_rollups
             WHERE tenant_id = $1 AND level = '${levelFor(f)}' AND day BETWEEN $2::date AND $3::date AND metric = ANY($5::text[]) AND ${tagRows(f.groupBy)}
               AND ($6::text IS NULL OR group_id = $6) AND ($7::text IS NULL OR agent_id = $7)`;
    const sums = `SELECT to_char(period, 'YYYY-MM-DD') AS period, dim, metric, key, sum(n)::float8 AS n, sum(amount)::float8 AS amount, NULL::float8 AS p50, NULL::float8 AS p90
            FROM r GROUP BY period, dim, metric, key`;
    // Percentiles only where the report has them: the values are the heavy part of a row.
    const ranks = `SELECT to_char(period, 'YYYY-MM-DD'), dim, metric, key, count(*)::float8, 0, percentile_cont(0.5) WITHIN GROUP (ORDER BY v), percentile_cont(0.9) WITHIN GROUP (ORDER BY v)
            FROM r CROSS JOIN LATERAL unnest(r.vals) AS v WHERE r.vals IS NOT NULL GROUP BY period, dim, metric, key`;
    return {
      sql: `WITH r AS (${rows}) ${sums}${percentiles ? ` UNION ALL ${ranks}` : ''}`,
      params: [f.tenantId, f.from, f.to, f.interval, metrics, f.groupId, f.agentId],
    };
  },
  /**
   * The backlog at the end of each period (`ends[i]` its last day within the range): the rows of
   * the last recomputed day on or before it, since a day nobody recomputed changed nothing.
   */
  backlog: (f: ReportFilter, periods: readonly string[], ends: readonly string[]): Statement => ({
    sql: `SELECT pe.period, ${dimension(f.groupBy)} AS dim, 'backlog' AS metric, '' AS key, sum(r.n)::float8 AS n, 0::float8 AS amount, NULL::float8 AS p50, NULL::float8 AS p90
            FROM unnest($2::text[], $3::date[]) AS pe (period, last)
            CROSS JOIN LATERAL (SELECT max(day) AS day FROM reporting_daily_rollups WHERE tenant_id = $1 AND level = 'total' AND metric = '${COMPUTED_MARKER}' AND day <= pe.last) AS m
            JOIN reporting_daily_rollups r ON r.tenant_id = $1 AND r.level = '${levelFor(f)}' AND r.day = m.day AND r.metric = 'backlog' AND ${tagRows(f.groupBy).replace('tag', 'r.tag')}
             AND ($4::text IS NULL OR r.group_id = $4) AND ($5::text IS NULL OR r.agent_id = $5)
           GROUP BY pe.period, dim`,
    params: [f.tenantId, periods, ends, f.groupId, f.agentId],
  }),
  /** When the newest rollup row of the range was computed. */
  computedAt: (tenantId: string, from: string, to: string): Statement => ({
    sql: `SELECT max(computed_at) AS at FROM reporting_daily_rollups WHERE tenant_id = $1 AND level = 'total' AND day BETWEEN $2::date AND $3::date AND metric = '${COMPUTED_MARKER}'`,
    params: [tenantId, from, to],
  }),
};
