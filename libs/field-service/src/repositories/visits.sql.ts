import type { Statement } from '@switchboard/platform';
import type { VisitStatus } from '../domain/status';
import { iso } from './execute';

export interface VisitRow {
  id: string;
  job_id: string;
  technician_id: string | null;
  status: VisitStatus;
  scheduled_start: Date;
  scheduled_end: Date;
  arrival_window_start: Date | null;
  arrival_window_end: Date | null;
  clocked_in_at: Date | null;
  clocked_out_at: Date | null;
  created_at: Date;
  updated_at: Date;
  version: number;
}

export interface VisitView {
  id: string;
  jobId: string;
  technicianId: string | null;
  status: VisitStatus;
  scheduledStart: string;
  scheduledEnd: string;
  durationMinutes: number;
  arrivalWindowStart: string | null;
  arrivalWindowEnd: string | null;
  clockedInAt: string | null;
  clockedOutAt: string | null;
  /** Minutes between clock-in and clock-out (rounded), once clocked out. */
  actualMinutes: number | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** A visit called off with its job: who had it and when. */
export interface CancelledVisit {
  id: string;
  technicianId: string | null;
  scheduledStart: string;
  scheduledEnd: string;
  version: number;
}

export const VISIT_COLUMNS =
  'id, job_id, technician_id, status, scheduled_start, scheduled_end, arrival_window_start, arrival_window_end, clocked_in_at, clocked_out_at, created_at, updated_at, version';

export const toVisitView = (r: VisitRow): VisitView => {
  const start = new Date(r.scheduled_start).getTime();
  const end = new Date(r.scheduled_end).getTime();
  return {
    id: r.id,
    jobId: r.job_id,
    technicianId: r.technician_id,
    status: r.status,
    scheduledStart: iso(r.scheduled_start)!,
    scheduledEnd: iso(r.scheduled_end)!,
    durationMinutes: Math.round((end - start) / 60_000),
    arrivalWindowStart: iso(r.arrival_window_start),
    arrivalWindowEnd: iso(r.arrival_window_end),
    clockedInAt: iso(r.clocked_in_at),
    clockedOutAt: iso(r.clocked_out_at),
    actualMinutes: r.clocked_in_at && r.clocked_out_at ? Math.round((new Date(r.clocked_out_at).getTime() - new Date(r.clocked_in_at).getTime()) / 60_000) : null,
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
    version: r.version,
  };
};

export interface VisitSlot {
  start: Date;
  end: Date;
  arrivalWindowStart: Date | null;
  arrivalWindowEnd: Date | null;
}

/** The overlap rule the exclusion constraint `fs_visits_no_double_booking` enforces. */
const OVERLAP = `technician_id = $2 AND status <> 'cancelled' AND tstzrange(scheduled_start, scheduled_end, '[)') && tstzrange($3::timestamptz, $4::timestamptz, '[)')`;

export const visitsSql = {
  find: (tenantId: string, id: string, lock = false): Statement => ({
    sql: `SELECT ${VISIT_COLUMNS} FROM fs_visits WHERE tenant_id = $1 AND id = $2${lock ? ' FOR UPDATE' : ''}`,
    params: [tenantId, id],
  }),

  ofJob: (tenantId: string, jobId: string): Statement => ({
    sql: `SELECT ${VISIT_COLUMNS} FROM fs_visits WHERE tenant_id = $1 AND job_id = $2 ORDER BY scheduled_start, id`,
    params: [tenantId, jobId],
  }),

  insert: (tenantId: string, jobId: string, technicianId: string | null, slot: VisitSlot): Statement => ({
    sql: `INSERT INTO fs_visits (tenant_id, job_id, technician_id, scheduled_start, scheduled_end, arrival_window_start, arrival_window_end)
          VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${VISIT_COLUMNS}`,
    params: [tenantId, jobId, technicianId, slot.start.toISOString(), slot.end.toISOString(), slot.arrivalWindowStart?.toISOString() ?? null, slot.arrivalWindowEnd?.toISOString() ?? null],
  }),

  reschedule: (tenantId: string, id: string, slot: VisitSlot): Statement => ({
    sql: `WITH changed AS (UPDATE fs_visits SET scheduled_start = $3, scheduled_end = $4, arrival_window_start = $5, arrival_window_end = $6, updated_at = now(), version = version + 1
           WHERE tenant_id = $1 AND id = $2 RETURNING ${VISIT_COLUMNS}) SELECT * FROM changed`,
    params: [tenantId, id, slot.start.toISOString(), slot.end.toISOString(), slot.arrivalWindowStart?.toISOString() ?? null, slot.arrivalWindowEnd?.toISOString() ?? null],
  }),

  assign: (tenantId: string, id: string, technicianId: string | null): Statement => ({
    sql: `WITH changed AS (UPDATE fs_visits SET technician_id = $3, updated_at = now(), version = version + 1 WHERE tenant_id = $1 AND id = $2 RETURNING ${VISIT_COLUMNS}) SELECT * FROM changed`,
    params: [tenantId, id, technicianId],
  }),

  /** Status change; clock-in and clock-out take the database's clock. */
  setStatus: (tenantId: string, id: string, status: VisitStatus): Statement => ({
    sql: `WITH changed AS (UPDATE fs_visits SET status = $3,
                 clocked_in_at = CASE WHEN $3 = 'in_progress' THEN now() ELSE clocked_in_at END,
                 clocked_out_at = CASE WHEN $3 = 'completed' THEN now() ELSE clocked_out_at END,
                 updated_at = now(), version = version + 1
           WHERE tenant_id = $1 AND id = $2 RETURNING ${VISIT_COLUMNS}) SELECT * FROM changed`,
    params: [tenantId, id, status],
  }),

  /** Cancels every visit of a job that has not started; returns their ids. */
  cancelScheduled: (tenantId: string, jobId: string): Statement => ({
    sql: `WITH changed AS (UPDATE fs_visits SET status = 'cancelled', updated_at = now(), version = version + 1 WHERE tenant_id = $1 AND job_id = $2 AND status = 'scheduled' RETURNING id, technician_id, scheduled_start, scheduled_end, version) SELECT * FROM changed ORDER BY scheduled_start, id`,
    params: [tenantId, jobId],
  }),

  /** A visit of this technician overlapping the slot, other than `exceptId`. */
  conflicting: (tenantId: string, technicianId: string, start: Date, end: Date, exceptId: string | null): Statement => ({
    sql: `SELECT id FROM fs_visits WHERE tenant_id = $1 AND ${OVERLAP} AND ($5::uuid IS NULL OR id <> $5::uuid) ORDER BY scheduled_start LIMIT 1`,
    params: [tenantId, technicianId, start.toISOString(), end.toISOString(), exceptId],
  }),

  /** Visits not cancelled that overlap [from, to), optionally of one technician, by start. */
  between: (tenantId: string, from: Date, to: Date, technicianId?: string): Statement => {
    const params: unknown[] = [tenantId, from.toISOString(), to.toISOString()];
    const tech = technicianId ? ` AND technician_id = $${params.push(technicianId)}::uuid` : '';
    return {
      sql: `SELECT ${VISIT_COLUMNS} FROM fs_visits WHERE tenant_id = $1 AND status <> 'cancelled'
              AND scheduled_start < $3::timestamptz AND scheduled_end > $2::timestamptz${tech}
            ORDER BY scheduled_start, id LIMIT 5000`,
      params,
    };
  },
};
