import type { Statement } from '@switchboard/platform';
import type { WeeklyHours, WorkingHours } from '../domain/availability';
import { iso } from './execute';

export interface WorkingHoursRow {
  technician_id: string;
  time_zone: string;
  weekly: WeeklyHours;
  updated_at: Date;
  version: number;
}

export interface WorkingHoursView extends WorkingHours {
  technicianId: string;
  updatedAt: string;
  version: number;
}

export interface UnavailabilityRow {
  id: string;
  technician_id: string;
  starts_at: Date;
  ends_at: Date;
  reason: string;
  created_at: Date;
}

export interface UnavailabilityView {
  id: string;
  technicianId: string;
  start: string;
  end: string;
  reason: string;
  createdAt: string;
}

const HOURS_COLUMNS = 'technician_id, time_zone, weekly, updated_at, version';
const UNAVAILABILITY_COLUMNS = 'id, technician_id, starts_at, ends_at, reason, created_at';

export const toWorkingHoursView = (r: WorkingHoursRow): WorkingHoursView => ({
  technicianId: r.technician_id,
  timeZone: r.time_zone,
  weekly: r.weekly,
  updatedAt: iso(r.updated_at)!,
  version: r.version,
});

export const toUnavailabilityView = (r: UnavailabilityRow): UnavailabilityView => ({
  id: r.id,
  technicianId: r.technician_id,
  start: iso(r.starts_at)!,
  end: iso(r.ends_at)!,
  reason: r.reason,
  createdAt: iso(r.created_at)!,
});

export const availabilitySql = {
  hours: (tenantId: string, technicianId: string): Statement => ({
    sql: `SELECT ${HOURS_COLUMNS} FROM fs_working_hours WHERE tenant_id = $1 AND technician_id = $2`,
    params: [tenantId, technicianId],
  }),

  /** Every technician's hours, or one technician's. */
  hoursOfAll: (tenantId: string, technicianId?: string): Statement => ({
    sql: `SELECT ${HOURS_COLUMNS} FROM fs_working_hours WHERE tenant_id = $1${technicianId ? ' AND technician_id = $2' : ''} ORDER BY technician_id`,
    params: technicianId ? [tenantId, technicianId] : [tenantId],
  }),

  /** Replaces the weekly pattern (the version counts the changes). */
  setHours: (tenantId: string, technicianId: string, hours: WorkingHours, actorId: string | null): Statement => ({
    sql: `INSERT INTO fs_working_hours (tenant_id, technician_id, time_zone, weekly, updated_by) VALUES ($1, $2, $3, $4::jsonb, $5)
          ON CONFLICT (tenant_id, technician_id) DO UPDATE SET time_zone = EXCLUDED.time_zone, weekly = EXCLUDED.weekly, updated_by = EXCLUDED.updated_by,
            updated_at = now(), version = fs_working_hours.version + 1
          RETURNING ${HOURS_COLUMNS}`,
    params: [tenantId, technicianId, hours.timeZone, JSON.stringify(hours.weekly), actorId],
  }),

  insertUnavailability: (tenantId: string, technicianId: string, span: { start: Date; end: Date; reason: string }, actorId: string | null): Statement => ({
    sql: `INSERT INTO fs_unavailability (tenant_id, technician_id, starts_at, ends_at, reason, created_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${UNAVAILABILITY_COLUMNS}`,
    params: [tenantId, technicianId, span.start.toISOString(), span.end.toISOString(), span.reason, actorId],
  }),

  deleteUnavailability: (tenantId: string, technicianId: string, id: string): Statement => ({
    sql: `WITH gone AS (DELETE FROM fs_unavailability WHERE tenant_id = $1 AND technician_id = $2 AND id = $3 RETURNING ${UNAVAILABILITY_COLUMNS}) SELECT * FROM gone`,
    params: [tenantId, technicianId, id],
  }),

  /** Spans overlapping [from, to), of one technician or all, by start. */
  unavailabilityBetween: (tenantId: string, from: Date, to: Date, technicianId?: string): Statement => {
    const params: unknown[] = [tenantId, from.toISOString(), to.toISOString()];
    const tech = technicianId ? ` AND technician_id = $${params.push(technicianId)}::uuid` : '';
    return {
      sql: `SELECT ${UNAVAILABILITY_COLUMNS} FROM fs_unavailability WHERE tenant_id = $1 AND starts_at < $3::timestamptz AND ends_at > $2::timestamptz${tech}
            ORDER BY starts_at, id LIMIT 5000`,
      params,
    };
  },
};
