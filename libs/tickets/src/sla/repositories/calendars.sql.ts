import type { Statement } from '@switchboard/platform';
import type { CalendarSpec, Holiday, OpeningInterval, Weekday } from '../domain/business-calendar';

export interface CalendarRow {
  id: string;
  name: string;
  time_zone: string;
  week: Partial<Record<Weekday, OpeningInterval[]>>;
  holidays: Holiday[];
  deleted_at: Date | null;
  created_at: Date;
  updated_at: Date;
  version: number;
}

export interface CalendarView extends CalendarSpec {
  id: string;
  name: string;
  deletedAt: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export type CalendarFields = CalendarSpec & { name: string };

const COLUMNS = 'id, name, time_zone, week, holidays, deleted_at, created_at, updated_at, version';
const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export const toCalendarView = (r: CalendarRow): CalendarView => ({
  id: r.id,
  name: r.name,
  timeZone: r.time_zone,
  week: r.week,
  holidays: r.holidays,
  deletedAt: iso(r.deleted_at),
  createdAt: iso(r.created_at)!,
  updatedAt: iso(r.updated_at)!,
  version: r.version,
});

export const calendarsSql = {
  find: (tenantId: string, id: string, lock = false): Statement => ({
    sql: `SELECT ${COLUMNS} FROM business_calendars WHERE tenant_id = $1 AND id = $2${lock ? ' FOR UPDATE' : ''}`,
    params: [tenantId, id],
  }),
  insert: (tenantId: string, f: CalendarFields): Statement => ({
    sql: `INSERT INTO business_calendars (tenant_id, name, time_zone, week, holidays) VALUES ($1, $2, $3, $4::jsonb, $5::jsonb) RETURNING ${COLUMNS}`,
    params: [tenantId, f.name, f.timeZone, JSON.stringify(f.week), JSON.stringify(f.holidays)],
  }),
  update: (tenantId: string, id: string, f: CalendarFields): Statement => ({
    sql: `UPDATE business_calendars SET name = $3, time_zone = $4, week = $5::jsonb, holidays = $6::jsonb, updated_at = now(), version = version + 1
          WHERE tenant_id = $1 AND id = $2`,
    params: [tenantId, id, f.name, f.timeZone, JSON.stringify(f.week), JSON.stringify(f.holidays)],
  }),
  softDelete: (tenantId: string, id: string): Statement => ({
    sql: `UPDATE business_calendars SET deleted_at = now(), updated_at = now(), version = version + 1 WHERE tenant_id = $1 AND id = $2`,
    params: [tenantId, id],
  }),
  list: (tenantId: string): Statement => ({
    sql: `SELECT ${COLUMNS} FROM business_calendars WHERE tenant_id = $1 AND deleted_at IS NULL ORDER BY lower(name), id LIMIT 500`,
    params: [tenantId],
  }),
  nameTaken: (tenantId: string, name: string, exceptId: string | null): Statement => ({
    sql: `SELECT 1 FROM business_calendars WHERE tenant_id = $1 AND lower(name) = lower($2) AND deleted_at IS NULL AND id IS DISTINCT FROM $3::uuid`,
    params: [tenantId, name, exceptId],
  }),
  /** The live groups whose profile names the calendar. */
  groupsUsing: (tenantId: string, id: string): Statement => ({
    sql: `SELECT name FROM ticket_groups WHERE tenant_id = $1 AND business_calendar_id = $2 AND deleted_at IS NULL ORDER BY lower(name) LIMIT 10`,
    params: [tenantId, id],
  }),
};
