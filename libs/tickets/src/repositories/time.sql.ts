import type { Statement } from '@switchboard/platform';

export interface TimeEntryRow {
  id: string;
  ticket_id: string;
  user_id: string;
  minutes: number;
  activity_type: string;
  billable: boolean;
  note: string | null;
  worked_at: Date;
  created_at: Date;
  updated_at: Date;
  version: number;
}

/** What an entry records; a command sets all of them at once. */
export interface TimeEntryFields {
  minutes: number;
  activityType: string;
  billable: boolean;
  note: string | null;
  workedAt: string;
}

export interface TimeEntryView extends TimeEntryFields {
  id: string;
  ticketId: string;
  userId: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface TimerView {
  userId: string;
  ticketId: string;
  activityType: string;
  billable: boolean;
  note: string | null;
  startedAt: string;
}

export interface TimeTotals {
  minutes: number;
  billableMinutes: number;
  entries: number;
}

export const TIME_GROUPINGS = ['agent', 'ticket', 'activity'] as const;
export type TimeGrouping = (typeof TIME_GROUPINGS)[number];

const iso = (d: Date) => new Date(d).toISOString();
const COLUMNS = 'id, ticket_id, user_id, minutes, activity_type, billable, note, worked_at, created_at, updated_at, version';

export const toTimeEntryView = (r: TimeEntryRow): TimeEntryView => ({
  id: r.id,
  ticketId: r.ticket_id,
  userId: r.user_id,
  minutes: r.minutes,
  activityType: r.activity_type,
  billable: r.billable,
  note: r.note,
  workedAt: iso(r.worked_at),
  createdAt: iso(r.created_at),
  updatedAt: iso(r.updated_at),
  version: r.version,
});

export const toTimerView = (r: { user_id: string; ticket_id: string; activity_type: string; billable: boolean; note: string | null; started_at: Date }): TimerView => ({
  userId: r.user_id,
  ticketId: r.ticket_id,
  activityType: r.activity_type,
  billable: r.billable,
  note: r.note,
  startedAt: iso(r.started_at),
});

const totalsOf = (r: { minutes: string | number | null; billable_minutes: string | number | null; entries: string | number }): TimeTotals => ({
  minutes: Number(r.minutes ?? 0),
  billableMinutes: Number(r.billable_minutes ?? 0),
  entries: Number(r.entries),
});
export { totalsOf };

const GROUP_COLUMN: Record<TimeGrouping, string> = { agent: 'user_id::text', ticket: 'ticket_id::text', activity: 'activity_type' };

export const timeSql = {
  insert: (tenantId: string, ticketId: string, userId: string, f: TimeEntryFields): Statement => ({
    sql: `INSERT INTO ticket_time_entries (tenant_id, ticket_id, user_id, minutes, activity_type, billable, note, worked_at)
          VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${COLUMNS}`,
    params: [tenantId, ticketId, userId, f.minutes, f.activityType, f.billable, f.note, f.workedAt],
  }),

  find: (tenantId: string, ticketId: string, id: string, lock = false): Statement => ({
    sql: `SELECT ${COLUMNS} FROM ticket_time_entries WHERE tenant_id = $1 AND ticket_id = $2 AND id = $3${lock ? ' FOR UPDATE' : ''}`,
    params: [tenantId, ticketId, id],
  }),

  update: (tenantId: string, id: string, f: TimeEntryFields): Statement => ({
    sql: `WITH changed AS (UPDATE ticket_time_entries SET minutes = $3, activity_type = $4, billable = $5, note = $6, worked_at = $7, updated_at = now(), version = version + 1
          WHERE tenant_id = $1 AND id = $2 RETURNING ${COLUMNS}) SELECT * FROM changed`,
    params: [tenantId, id, f.minutes, f.activityType, f.billable, f.note, f.workedAt],
  }),

  delete: (tenantId: string, id: string): Statement => ({
    sql: `WITH gone AS (DELETE FROM ticket_time_entries WHERE tenant_id = $1 AND id = $2 RETURNING 1) SELECT 1 FROM gone`,
    params: [tenantId, id],
  }),

  /** A ticket's entries by when the work happened; one more than `limit`; `after` is the last row's (worked_at, id). */
  page: (tenantId: string, ticketId: string, page: { limit: number; after?: [string, string] }): Statement => {
    const params: unknown[] = [tenantId, ticketId, page.limit + 1];
    const after = page.after ? ` AND (worked_at, id) > ($${params.push(page.after[0])}::timestamptz, $${params.push(page.after[1])}::uuid)` : '';
    return { sql: `SELECT ${COLUMNS} FROM ticket_time_entries WHERE tenant_id = $1 AND ticket_id = $2${after} ORDER BY worked_at, id LIMIT $3`, params };
  },

  ticketTotals: (tenantId: string, ticketId: string): Statement => ({
    sql: `SELECT sum(minutes) AS minutes, sum(minutes) FILTER (WHERE billable) AS billable_minutes, count(*) AS entries
          FROM ticket_time_entries WHERE tenant_id = $1 AND ticket_id = $2`,
    params: [tenantId, ticketId],
  }),

  /** Totals per agent, ticket or activity type for the work done in [from, to); optionally one agent's only. */
  totals: (tenantId: string, range: { from: string; to: string }, groupBy: TimeGrouping, userId?: string): Statement => {
    const params: unknown[] = [tenantId, range.from, range.to];
    const only = userId ? ` AND user_id = $${params.push(userId)}::uuid` : '';
    return {
      sql: `SELECT ${GROUP_COLUMN[groupBy]} AS key, sum(minutes) AS minutes, sum(minutes) FILTER (WHERE billable) AS billable_minutes, count(*) AS entries
            FROM ticket_time_entries WHERE tenant_id = $1 AND worked_at >= $2::timestamptz AND worked_at < $3::timestamptz${only}
            GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1000`,
      params,
    };
  },

  timer: (tenantId: string, userId: string, lock = false): Statement => ({
    sql: `SELECT user_id, ticket_id, activity_type, billable, note, started_at FROM ticket_timers WHERE tenant_id = $1 AND user_id = $2${lock ? ' FOR UPDATE' : ''}`,
    params: [tenantId, userId],
  }),

  startTimer: (tenantId: string, userId: string, ticketId: string, t: { activityType: string; billable: boolean; note: string | null }): Statement => ({
    sql: `INSERT INTO ticket_timers (tenant_id, user_id, ticket_id, activity_type, billable, note) VALUES ($1, $2, $3, $4, $5, $6)
          RETURNING user_id, ticket_id, activity_type, billable, note, started_at`,
    params: [tenantId, userId, ticketId, t.activityType, t.billable, t.note],
  }),

  /** Removes the timer, answering it with the minutes it ran (at least 1), as the database's clock counts them. */
  takeTimer: (tenantId: string, userId: string): Statement => ({
    sql: `WITH gone AS (DELETE FROM ticket_timers WHERE tenant_id = $1 AND user_id = $2 RETURNING user_id, ticket_id, activity_type, billable, note, started_at)
          SELECT *, GREATEST(1, round(extract(epoch FROM now() - started_at) / 60))::int AS elapsed_minutes FROM gone`,
    params: [tenantId, userId],
  }),
};
