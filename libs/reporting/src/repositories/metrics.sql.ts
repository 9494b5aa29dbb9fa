import type { Statement } from '@switchboard/platform';
import type { NextReply, StatusInterval, TicketMetrics } from '../domain/ticket-metrics';

/** Reporting's per-ticket statements: one column list and one row → view mapping each. MetricsRepository runs them. */
export interface MetricsRow {
  ticket_id: string;
  created_at: Date;
  status: string;
  custom_status_id: string | null;
  group_id: string | null;
  assignee_id: string | null;
  channel: string;
  priority: string;
  first_reply_at: Date | null;
  first_reply_minutes: number | null;
  first_reply_business_minutes: number | null;
  next_replies: NextReply[];
  first_solved_at: Date | null;
  solved_at: Date | null;
  full_resolution_minutes: number | null;
  full_resolution_business_minutes: number | null;
  public_replies: number;
  internal_notes: number;
  reopens: number;
  assignee_changes: number;
  group_changes: number;
  agent_touches: number;
  history_position: string;
  tags: string[];
}

export interface IntervalRow {
  seq: number;
  status: string;
  custom_status_id: string | null;
  started_at: Date;
  ended_at: Date | null;
  minutes: number | null;
  business_minutes: number | null;
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
const METRIC_COLUMNS = `ticket_id, created_at, status, custom_status_id, group_id, assignee_id, channel, priority, first_reply_at, first_reply_minutes, first_reply_business_minutes,
  next_replies, first_solved_at, solved_at, full_resolution_minutes, full_resolution_business_minutes, public_replies, internal_notes, reopens, assignee_changes, group_changes,
  agent_touches, history_position, tags`;
const INTERVAL_COLUMNS = 'seq, status, custom_status_id, started_at, ended_at, minutes, business_minutes';

export const toMetrics = (r: MetricsRow): TicketMetrics => ({
  ticketId: r.ticket_id,
  createdAt: iso(r.created_at)!,
  status: r.status,
  customStatusId: r.custom_status_id,
  groupId: r.group_id,
  assigneeId: r.assignee_id,
  channel: r.channel,
  priority: r.priority,
  firstReplyAt: iso(r.first_reply_at),
  firstReplyMinutes: r.first_reply_minutes,
  firstReplyBusinessMinutes: r.first_reply_business_minutes,
  nextReplies: r.next_replies,
  firstSolvedAt: iso(r.first_solved_at),
  solvedAt: iso(r.solved_at),
  fullResolutionMinutes: r.full_resolution_minutes,
  fullResolutionBusinessMinutes: r.full_resolution_business_minutes,
  publicReplies: r.public_replies,
  internalNotes: r.internal_notes,
  reopens: r.reopens,
  assigneeChanges: r.assignee_changes,
  groupChanges: r.group_changes,
  agentTouches: r.agent_touches,
  historyPosition: Number(r.history_position),
  tags: r.tags ?? [],
});

export const toInterval = (r: IntervalRow): StatusInterval => ({
  seq: r.seq,
  status: r.status,
  customStatusId: r.custom_status_id,
  startedAt: iso(r.started_at)!,
  endedAt: iso(r.ended_at),
  minutes: r.minutes,
  businessMinutes: r.business_minutes,
});

/** A computation time at full precision, ISO 8601 in UTC, so a cursor taken from it resumes exactly. */
const ISO_MICROS = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

export interface ExportRow extends MetricsRow {
  computed_at_text: string;
}

export const metricsSql = {
  /** One page of the export in (computed_at, ticket_id) order, after the cursor's position. */
  exportPage: (tenantId: string, after: { after: string; ticketId: string } | null, limit: number): Statement => ({
    sql: `SELECT ${METRIC_COLUMNS}, ${ISO_MICROS('computed_at')} AS computed_at_text FROM reporting_ticket_metrics
          WHERE tenant_id = $1 ${after ? 'AND (computed_at, ticket_id) > ($3::timestamptz, $4::uuid)' : ''}
          ORDER BY computed_at, ticket_id LIMIT $2`,
    params: after ? [tenantId, limit, after.after, after.ticketId] : [tenantId, limit],
  }),
  /** The database's clock, `overlapSeconds` ago (the next export's starting point). */
  databaseTime: (overlapSeconds: number): Statement => ({
    sql: `SELECT ${ISO_MICROS(`(clock_timestamp() - make_interval(secs => $1))`)} AS at`,
    params: [overlapSeconds],
  }),
  find: (tenantId: string, ticketId: string): Statement => ({
    sql: `SELECT ${METRIC_COLUMNS} FROM reporting_ticket_metrics WHERE tenant_id = $1 AND ticket_id = $2`,
    params: [tenantId, ticketId],
  }),
  intervals: (tenantId: string, ticketId: string): Statement => ({
    sql: `SELECT ${INTERVAL_COLUMNS} FROM reporting_status_intervals WHERE tenant_id = $1 AND ticket_id = $2 ORDER BY seq`,
    params: [tenantId, ticketId],
  }),
  /** The intervals of these tickets, each ticket's in order (what their rollups read before a recompute). */
  intervalsMany: (tenantId: string, ticketIds: readonly string[]): Statement => ({
    sql: `SELECT ticket_id, ${INTERVAL_COLUMNS} FROM reporting_status_intervals WHERE tenant_id = $1 AND ticket_id = ANY($2::uuid[]) ORDER BY ticket_id, seq`,
    params: [tenantId, ticketIds],
  }),
  /** The stored figures of these tickets before a recompute (their days need rolling up again). */
  findMany: (tenantId: string, ticketIds: readonly string[]): Statement => ({
    sql: `SELECT ${METRIC_COLUMNS} FROM reporting_ticket_metrics WHERE tenant_id = $1 AND ticket_id = ANY($2::uuid[])`,
    params: [tenantId, ticketIds],
  }),
  upsert: (tenantId: string, m: TicketMetrics): Statement => ({
    sql: `INSERT INTO reporting_ticket_metrics (tenant_id, ${METRIC_COLUMNS}, computed_at)
          VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::jsonb, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, now())
          ON CONFLICT (tenant_id, ticket_id) DO UPDATE SET created_at = EXCLUDED.created_at, status = EXCLUDED.status, custom_status_id = EXCLUDED.custom_status_id,
            group_id = EXCLUDED.group_id, assignee_id = EXCLUDED.assignee_id, channel = EXCLUDED.channel, priority = EXCLUDED.priority,
            first_reply_at = EXCLUDED.first_reply_at, first_reply_minutes = EXCLUDED.first_reply_minutes, first_reply_business_minutes = EXCLUDED.first_reply_business_minutes,
            next_replies = EXCLUDED.next_replies, first_solved_at = EXCLUDED.first_solved_at, solved_at = EXCLUDED.solved_at,
            full_resolution_minutes = EXCLUDED.full_resolution_minutes, full_resolution_business_minutes = EXCLUDED.full_resolution_business_minutes,
            public_replies = EXCLUDED.public_replies, internal_notes = EXCLUDED.internal_notes, reopens = EXCLUDED.reopens, assignee_changes = EXCLUDED.assignee_changes,
            group_changes = EXCLUDED.group_changes, agent_touches = EXCLUDED.agent_touches, history_position = EXCLUDED.history_position, tags = EXCLUDED.tags, computed_at = now()`,
    params: [
      tenantId, m.ticketId, m.createdAt, m.status, m.customStatusId, m.groupId, m.assigneeId, m.channel, m.priority, m.firstReplyAt, m.firstReplyMinutes, m.firstReplyBusinessMinutes,
      JSON.stringify(m.nextReplies), m.firstSolvedAt, m.solvedAt, m.fullResolutionMinutes, m.fullResolutionBusinessMinutes, m.publicReplies, m.internalNotes, m.reopens,
      m.assigneeChanges, m.groupChanges, m.agentTouches, m.historyPosition, m.tags,
    ],
  }),
  /**
   * Many tickets' figures in one statement, the rows as one JSON array (a ticket's tags and next
   * replies are lists of their own, which parallel arrays cannot carry).
   */
  upsertMany: (tenantId: string, rows: readonly TicketMetrics[]): Statement => ({
    sql: `INSERT INTO reporting_ticket_metrics AS m (tenant_id, ${METRIC_COLUMNS}, computed_at)
          SELECT $1, ${METRIC_COLUMNS}, now() FROM jsonb_to_recordset($2::jsonb) AS r (ticket_id uuid, created_at timestamptz, status text, custom_status_id uuid, group_id uuid,
            assignee_id uuid, channel text, priority text, first_reply_at timestamptz, first_reply_minutes float8, first_reply_business_minutes float8, next_replies jsonb,
            first_solved_at timestamptz, solved_at timestamptz, full_resolution_minutes float8, full_resolution_business_minutes float8, public_replies int, internal_notes int,
            reopens int, assignee_changes int, group_changes int, agent_touches int, history_position bigint, tags text[])
          ON CONFLICT (tenant_id, ticket_id) DO UPDATE SET ${METRIC_COLUMNS.split(',')
            .map((c) => c.trim())
            .filter((c) => c !== 'ticket_id')
            .map((c) => `${c} = EXCLUDED.${c}`)
            .join(', ')}, computed_at = now()`,
    params: [
      tenantId,
      JSON.stringify(
        rows.map((m) => ({
          ticket_id: m.ticketId, created_at: m.createdAt, status: m.status, custom_status_id: m.customStatusId, group_id: m.groupId, assignee_id: m.assigneeId, channel: m.channel,
          priority: m.priority, first_reply_at: m.firstReplyAt, first_reply_minutes: m.firstReplyMinutes, first_reply_business_minutes: m.firstReplyBusinessMinutes,
          next_replies: m.nextReplies, first_solved_at: m.firstSolvedAt, solved_at: m.solvedAt, full_resolution_minutes: m.fullResolutionMinutes,
          full_resolution_business_minutes: m.fullResolutionBusinessMinutes, public_replies: m.publicReplies, internal_notes: m.internalNotes, reopens: m.reopens,
          assignee_changes: m.assigneeChanges, group_changes: m.groupChanges, agent_touches: m.agentTouches, history_position: m.historyPosition, tags: m.tags,
        })),
      ),
    ],
  }),
  /** Many tickets' intervals dropped before their new ones go in. */
  deleteIntervalsMany: (tenantId: string, ticketIds: readonly string[]): Statement => ({
    sql: `DELETE FROM reporting_status_intervals WHERE tenant_id = $1 AND ticket_id = ANY($2::uuid[])`,
    params: [tenantId, ticketIds],
  }),
  /** Many tickets' intervals in one statement, the rows as parallel arrays. */
  insertIntervalsMany: (tenantId: string, rows: readonly (StatusInterval & { ticketId: string })[]): Statement => ({
    sql: `INSERT INTO reporting_status_intervals (tenant_id, ticket_id, ${INTERVAL_COLUMNS})
          SELECT $1, * FROM unnest($2::uuid[], $3::int[], $4::text[], $5::uuid[], $6::timestamptz[], $7::timestamptz[], $8::float8[], $9::float8[])`,
    params: [
      tenantId, rows.map((i) => i.ticketId), rows.map((i) => i.seq), rows.map((i) => i.status), rows.map((i) => i.customStatusId), rows.map((i) => i.startedAt),
      rows.map((i) => i.endedAt), rows.map((i) => i.minutes), rows.map((i) => i.businessMinutes),
    ],
  }),
  /** Marks tickets (distinct ids) for the batched recompute; a ticket marked already gets a new version (its pending recompute must not clear this mark). */
  markDirty: (tenantId: string, ticketIds: readonly string[]): Statement => ({
    sql: `INSERT INTO reporting_ticket_dirty AS d (tenant_id, ticket_id) SELECT $1, unnest($2::uuid[]) ORDER BY 2
          ON CONFLICT (tenant_id, ticket_id) DO UPDATE SET version = d.version + 1, marked_at = now()`,
    params: [tenantId, ticketIds],
  }),
  /** Up to `limit` marked tickets with the version read; marks another recompute holds are skipped. */
  takeDirty: (tenantId: string, limit: number): Statement => ({
    sql: `SELECT ticket_id, version FROM reporting_ticket_dirty WHERE tenant_id = $1 ORDER BY ticket_id LIMIT $2 FOR UPDATE SKIP LOCKED`,
    params: [tenantId, limit],
  }),
  /** Clears the marks a recompute consumed: only those still at the version it read. */
  clearDirty: (tenantId: string, taken: readonly { ticketId: string; version: number }[]): Statement => ({
    sql: `DELETE FROM reporting_ticket_dirty d USING unnest($2::uuid[], $3::bigint[]) AS t (ticket_id, version)
           WHERE d.tenant_id = $1 AND d.ticket_id = t.ticket_id AND d.version = t.version`,
    params: [tenantId, taken.map((t) => t.ticketId), taken.map((t) => t.version)],
  }),
  /** Tenants with marked tickets (across tenants: the sweep runs as the system), one index probe each rather than a scan of every mark. */
  dirtyTenants: (limit: number): Statement => ({
    sql: `WITH RECURSIVE t (tenant_id) AS (
            (SELECT tenant_id FROM reporting_ticket_dirty ORDER BY tenant_id LIMIT 1)
            UNION ALL
            SELECT (SELECT d.tenant_id FROM reporting_ticket_dirty d WHERE d.tenant_id > t.tenant_id ORDER BY d.tenant_id LIMIT 1) FROM t WHERE t.tenant_id IS NOT NULL
          )
          SELECT tenant_id FROM t WHERE tenant_id IS NOT NULL LIMIT $1`,
    params: [limit],
  }),
  deleteIntervals: (tenantId: string, ticketId: string): Statement => ({
    sql: `DELETE FROM reporting_status_intervals WHERE tenant_id = $1 AND ticket_id = $2`,
    params: [tenantId, ticketId],
  }),
  /** A ticket's intervals in one statement, the rows as parallel arrays. */
  insertIntervals: (tenantId: string, ticketId: string, intervals: readonly StatusInterval[]): Statement => ({
    sql: `INSERT INTO reporting_status_intervals (tenant_id, ticket_id, ${INTERVAL_COLUMNS})
          SELECT $1, $2, * FROM unnest($3::int[], $4::text[], $5::uuid[], $6::timestamptz[], $7::timestamptz[], $8::float8[], $9::float8[])`,
    params: [
      tenantId, ticketId, intervals.map((i) => i.seq), intervals.map((i) => i.status), intervals.map((i) => i.customStatusId), intervals.map((i) => i.startedAt),
      intervals.map((i) => i.endedAt), intervals.map((i) => i.minutes), intervals.map((i) => i.businessMinutes),
    ],
  }),
  remove: (tenantId: string, ticketIds: readonly string[]): Statement => ({
    sql: `DELETE FROM reporting_ticket_metrics WHERE tenant_id = $1 AND ticket_id = ANY($2::uuid[])`,
    params: [tenantId, ticketIds],
  }),
  /** Metrics of tickets in a rebuild batch's id range that the tickets context no longer has. */
  removeMissingInRange: (tenantId: string, after: string | null, last: string | null, present: readonly string[]): Statement => ({
    sql: `DELETE FROM reporting_ticket_metrics WHERE tenant_id = $1 AND ($2::uuid IS NULL OR ticket_id > $2::uuid) AND ($3::uuid IS NULL OR ticket_id <= $3::uuid)
            AND NOT (ticket_id = ANY($4::uuid[])) RETURNING ${METRIC_COLUMNS}`,
    params: [tenantId, after, last, present],
  }),
};
