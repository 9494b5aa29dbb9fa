import type { Statement } from '@switchboard/platform';
import type { SlaMetric } from '../domain/sla-clock';
import type { PlannedTarget, RecordedMetricEvent, StoredTarget, TicketSlaState } from '../domain/sla-state';

/**
 * The SLA engine's stored state (ADR 0045) as pure statement builders, so the worker's recompute,
 * its timers, the explanation and the bench run the same SQL.
 */
export interface SlaTicketRow {
  id: string;
  status: string;
  priority: string;
  group_id: string | null;
  channel: string;
  type: string;
  tags: string[];
  sla_breach_at: Date | null;
  sla_warning_at: Date | null;
  sla_state: TicketSlaState | null;
}

export interface TargetRow {
  ticket_id: string;
  metric: SlaMetric;
  policy_id: string;
  policy_version: number;
  state: StoredTarget['state'];
  started_at: Date;
  deadline: Date | null;
  warning_at: Date | null;
  deadline_version: number;
  warned_deadline: Date | null;
}

const ms = (d: Date | null) => (d === null ? null : new Date(d).getTime());
const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

export const toStoredTarget = (r: TargetRow): StoredTarget => ({
  metric: r.metric,
  policyId: r.policy_id,
  policyVersion: r.policy_version,
  state: r.state,
  startedAt: ms(r.started_at)!,
  deadline: ms(r.deadline),
  warningAt: ms(r.warning_at),
  deadlineVersion: r.deadline_version,
  warnedDeadline: ms(r.warned_deadline),
});

export interface MetricEventRow {
  ticket_id: string;
  metric: SlaMetric;
  kind: RecordedMetricEvent['kind'];
  at: Date;
  business_minutes_elapsed: string;
  policy_id: string;
  policy_version: number;
  time_mode: 'business' | 'calendar';
}

/** A metric event to record: one ticket's, under one policy. */
export interface NewMetricEvent extends RecordedMetricEvent {
  ticketId: string;
  policyId: string;
  policyVersion: number;
  timeMode: 'business' | 'calendar';
}

const TARGET_COLUMNS = 'ticket_id, metric, policy_id, policy_version, state, started_at, deadline, warning_at, deadline_version, warned_deadline';

export const slaStateSql = {
  /** The tickets of a batch, locked: one recompute per ticket at a time (a timer and an event consumer serialise here). */
  tickets: (tenantId: string, ids: readonly string[]): Statement => ({
    sql: `SELECT id, status, priority, group_id, channel, type, tags, sla_breach_at, sla_warning_at, sla_state FROM tickets
          WHERE tenant_id = $1 AND id = ANY($2::uuid[]) AND deleted_at IS NULL ORDER BY id FOR UPDATE`,
    params: [tenantId, ids],
  }),
  /** The live groups' calendars. */
  groupCalendars: (tenantId: string): Statement => ({
    sql: `SELECT id, business_calendar_id FROM ticket_groups WHERE tenant_id = $1 AND deleted_at IS NULL AND business_calendar_id IS NOT NULL`,
    params: [tenantId],
  }),
  targets: (tenantId: string, ids: readonly string[]): Statement => ({
    sql: `SELECT ${TARGET_COLUMNS} FROM ticket_sla_targets WHERE tenant_id = $1 AND ticket_id = ANY($2::uuid[])`,
    params: [tenantId, ids],
  }),
  target: (tenantId: string, ticketId: string, metric: string, lock = false): Statement => ({
    sql: `SELECT ${TARGET_COLUMNS} FROM ticket_sla_targets WHERE tenant_id = $1 AND ticket_id = $2 AND metric = $3${lock ? ' FOR UPDATE' : ''}`,
    params: [tenantId, ticketId, metric],
  }),
  /** Writes the changed targets of many tickets in one statement. */
  upsertTargets: (tenantId: string, rows: readonly (PlannedTarget & { ticketId: string })[]): Statement => ({
    sql: `INSERT INTO ticket_sla_targets (tenant_id, ticket_id, metric, policy_id, policy_version, target_minutes, state, started_at, deadline, warning_at, deadline_version)
          SELECT $1, r.ticket_id, r.metric, r.policy_id, r.policy_version, r.target_minutes, r.state, r.started_at, r.deadline, r.warning_at, r.deadline_version
            FROM jsonb_to_recordset($2::jsonb) AS r(ticket_id uuid, metric text, policy_id uuid, policy_version int, target_minutes int, state text, started_at timestamptz,
                                                     deadline timestamptz, warning_at timestamptz, deadline_version int)
          ON CONFLICT (tenant_id, ticket_id, metric) DO UPDATE SET policy_id = EXCLUDED.policy_id, policy_version = EXCLUDED.policy_version, target_minutes = EXCLUDED.target_minutes,
            state = EXCLUDED.state, started_at = EXCLUDED.started_at, deadline = EXCLUDED.deadline, warning_at = EXCLUDED.warning_at, deadline_version = EXCLUDED.deadline_version, updated_at = now()`,
    params: [
      tenantId,
      JSON.stringify(
        rows.map((r) => ({
          ticket_id: r.ticketId,
          metric: r.metric,
          policy_id: r.policyId,
          policy_version: r.policyVersion,
          target_minutes: r.targetMinutes,
          state: r.state,
          started_at: iso(r.startedAt),
          deadline: iso(r.deadline),
          warning_at: iso(r.warningAt),
          deadline_version: r.deadlineVersion,
        })),
      ),
    ],
  }),
  /** Targets the applicable policy no longer has, and every target of tickets no policy applies to. */
  deleteTargets: (tenantId: string, rows: readonly { ticketId: string; metric: SlaMetric }[]): Statement => ({
    sql: `DELETE FROM ticket_sla_targets t USING jsonb_to_recordset($2::jsonb) AS r(ticket_id uuid, metric text)
          WHERE t.tenant_id = $1 AND t.ticket_id = r.ticket_id AND t.metric = r.metric`,
    params: [tenantId, JSON.stringify(rows.map((r) => ({ ticket_id: r.ticketId, metric: r.metric })))],
  }),
  /** Records metric events once each (the unique key decides); answers the ones this call inserted. */
  insertEvents: (tenantId: string, events: readonly NewMetricEvent[]): Statement => ({
    sql: `INSERT INTO sla_metric_events (tenant_id, ticket_id, metric, kind, at, business_minutes_elapsed, policy_id, policy_version, time_mode)
          SELECT $1, r.ticket_id, r.metric, r.kind, r.at, r.elapsed, r.policy_id, r.policy_version, r.time_mode
            FROM jsonb_to_recordset($2::jsonb) AS r(ticket_id uuid, metric text, kind text, at timestamptz, elapsed numeric, policy_id uuid, policy_version int, time_mode text)
          ON CONFLICT (tenant_id, ticket_id, metric, kind, at) DO NOTHING
          RETURNING ticket_id, metric, kind, at, business_minutes_elapsed, policy_id, policy_version, time_mode`,
    params: [
      tenantId,
      JSON.stringify(
        events.map((e) => ({
          ticket_id: e.ticketId,
          metric: e.metric,
          kind: e.kind,
          at: iso(e.at),
          elapsed: Math.round(e.elapsed * 100) / 100,
          policy_id: e.policyId,
          policy_version: e.policyVersion,
          time_mode: e.timeMode,
        })),
      ),
    ],
  }),
  /** The tickets' next deadline, warning instant and state (no new ticket version: the engine's bookkeeping, not an edit). */
  updateTickets: (tenantId: string, rows: readonly { id: string; breachAt: number | null; warningAt: number | null; state: TicketSlaState | null }[]): Statement => ({
    sql: `UPDATE tickets t SET sla_breach_at = r.breach_at, sla_warning_at = r.warning_at, sla_state = r.state
            FROM jsonb_to_recordset($2::jsonb) AS r(id uuid, breach_at timestamptz, warning_at timestamptz, state text)
          WHERE t.tenant_id = $1 AND t.id = r.id`,
    params: [tenantId, JSON.stringify(rows.map((r) => ({ id: r.id, breach_at: iso(r.breachAt), warning_at: iso(r.warningAt), state: r.state })))],
  }),
  /** The warning is given once per deadline: the first caller to move `warned_deadline` onto the deadline gives it. */
  markWarned: (tenantId: string, ticketId: string, metric: string, version: number): Statement => ({
    // Through a CTE: the driver answers a bare UPDATE … RETURNING as [rows, count].
    sql: `WITH u AS (UPDATE ticket_sla_targets SET warned_deadline = deadline
          WHERE tenant_id = $1 AND ticket_id = $2 AND metric = $3 AND deadline_version = $4 AND state = 'active' AND warned_deadline IS DISTINCT FROM deadline
          RETURNING deadline, warning_at) SELECT deadline, warning_at FROM u`,
    params: [tenantId, ticketId, metric, version],
  }),
  /** A ticket's recorded metric events, oldest first. */
  events: (tenantId: string, ticketId: string): Statement => ({
    sql: `SELECT ticket_id, metric, kind, at, business_minutes_elapsed, policy_id, policy_version, time_mode FROM sla_metric_events
          WHERE tenant_id = $1 AND ticket_id = $2 ORDER BY at, metric, kind LIMIT 2000`,
    params: [tenantId, ticketId],
  }),
  /** Open tickets of the tenant after a position, by id: a recompute's batch. */
  openTicketsAfter: (tenantId: string, afterId: string | null, limit: number): Statement => ({
    sql: `SELECT id FROM tickets WHERE tenant_id = $1 AND deleted_at IS NULL AND status NOT IN ('solved', 'closed') AND id > COALESCE($2::uuid, '00000000-0000-0000-0000-000000000000'::uuid)
          ORDER BY id LIMIT $3`,
    params: [tenantId, afterId, limit],
  }),
  /** Starts (or restarts from the first ticket) the tenant's recompute; answers its generation. */
  requestRecompute: (tenantId: string, reason: string): Statement => ({
    sql: `INSERT INTO sla_recomputes (tenant_id, reason) VALUES ($1, $2)
          ON CONFLICT (tenant_id) DO UPDATE SET generation = sla_recomputes.generation + 1, after_ticket_id = NULL, reason = EXCLUDED.reason, requested_at = now(), progressed_at = now(), done = 0
          RETURNING generation`,
    params: [tenantId, reason],
  }),
  recompute: (tenantId: string): Statement => ({
    sql: `SELECT generation, after_ticket_id FROM sla_recomputes WHERE tenant_id = $1 FOR UPDATE`,
    params: [tenantId],
  }),
  advanceRecompute: (tenantId: string, generation: number, afterId: string, count: number): Statement => ({
    sql: `UPDATE sla_recomputes SET after_ticket_id = $3, done = done + $4, progressed_at = now() WHERE tenant_id = $1 AND generation = $2`,
    params: [tenantId, generation, afterId, count],
  }),
  finishRecompute: (tenantId: string, generation: number): Statement => ({
    sql: `DELETE FROM sla_recomputes WHERE tenant_id = $1 AND generation = $2`,
    params: [tenantId, generation],
  }),
};

/** Across tenants, for the sweep (run as the system, outside row-level security). */
export const slaSweepSql = {
  /** Running targets whose breach or not-yet-given warning falls due before `until`. */
  dueTimers: (until: Date, limit: number): Statement => ({
    // Deleted tickets keep their rows until purged; their timers are not re-queued.
    sql: `(SELECT s.tenant_id, s.ticket_id, s.metric, 'breach' AS kind, s.deadline AS at, s.deadline_version FROM ticket_sla_targets s
             JOIN tickets t ON t.tenant_id = s.tenant_id AND t.id = s.ticket_id AND t.deleted_at IS NULL
            WHERE s.state = 'active' AND s.deadline <= $1 ORDER BY s.deadline LIMIT $2)
          UNION ALL
          (SELECT s.tenant_id, s.ticket_id, s.metric, 'warning', s.warning_at, s.deadline_version FROM ticket_sla_targets s
             JOIN tickets t ON t.tenant_id = s.tenant_id AND t.id = s.ticket_id AND t.deleted_at IS NULL
            WHERE s.state = 'active' AND s.warning_at <= $1 AND s.deadline > now() AND s.warned_deadline IS DISTINCT FROM s.deadline ORDER BY s.warning_at LIMIT $2)`,
    params: [until, limit],
  }),
  /** Tenant recomputes that have not moved for a while (their job was lost, or the worker stopped). */
  stalledRecomputes: (olderThanMs: number, limit: number): Statement => ({
    sql: `SELECT tenant_id, generation FROM sla_recomputes WHERE progressed_at < now() - make_interval(secs => $1::double precision / 1000) ORDER BY progressed_at LIMIT $2`,
    params: [olderThanMs, limit],
  }),
};
