import type { Statement } from '@switchboard/platform';
import type { Status } from '../../domain/ticket';
import type { TimelineEntry } from '../domain/sla-clock';
import type { PolicyConditions, PolicyFields, PolicyTargets } from '../domain/sla-policy';

export interface PolicyRow {
  id: string;
  name: string;
  description: string | null;
  position: number;
  active: boolean;
  conditions: PolicyConditions;
  targets: PolicyTargets;
  business_hours: boolean;
  calendar_id: string | null;
  pause_statuses: Status[];
  warning_minutes: number | null;
  deleted_at: Date | null;
  created_at: Date;
  updated_at: Date;
  version: number;
}

export interface PolicyView extends PolicyFields {
  id: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

const COLUMNS = 'id, name, description, position, active, conditions, targets, business_hours, calendar_id, pause_statuses, warning_minutes, deleted_at, created_at, updated_at, version';

export const toPolicyView = (r: PolicyRow): PolicyView => ({
  id: r.id,
  name: r.name,
  description: r.description,
  position: r.position,
  active: r.active,
  conditions: r.conditions,
  targets: r.targets,
  businessHours: r.business_hours,
  calendarId: r.calendar_id,
  pauseStatuses: r.pause_statuses,
  warningMinutes: r.warning_minutes,
  createdAt: new Date(r.created_at).toISOString(),
  updatedAt: new Date(r.updated_at).toISOString(),
  version: r.version,
});

const values = (f: PolicyFields) => [f.name, f.description, f.position, f.active, JSON.stringify(f.conditions), JSON.stringify(f.targets), f.businessHours, f.calendarId, f.pauseStatuses, f.warningMinutes];

export const policiesSql = {
  find: (tenantId: string, id: string, lock = false): Statement => ({
    sql: `SELECT ${COLUMNS} FROM sla_policies WHERE tenant_id = $1 AND id = $2 AND deleted_at IS NULL${lock ? ' FOR UPDATE' : ''}`,
    params: [tenantId, id],
  }),
  insert: (tenantId: string, f: PolicyFields): Statement => ({
    sql: `INSERT INTO sla_policies (tenant_id, name, description, position, active, conditions, targets, business_hours, calendar_id, pause_statuses, warning_minutes)
          VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8, $9, $10::text[], $11) RETURNING ${COLUMNS}`,
    params: [tenantId, ...values(f)],
  }),
  update: (tenantId: string, id: string, f: PolicyFields): Statement => ({
    sql: `UPDATE sla_policies SET name = $3, description = $4, position = $5, active = $6, conditions = $7::jsonb, targets = $8::jsonb, business_hours = $9,
            calendar_id = $10, pause_statuses = $11::text[], warning_minutes = $12, updated_at = now(), version = version + 1 WHERE tenant_id = $1 AND id = $2`,
    params: [tenantId, id, ...values(f)],
  }),
  softDelete: (tenantId: string, id: string): Statement => ({
    sql: `UPDATE sla_policies SET deleted_at = now(), updated_at = now(), version = version + 1 WHERE tenant_id = $1 AND id = $2`,
    params: [tenantId, id],
  }),
  /** Live policies in the order they are tried. */
  list: (tenantId: string): Statement => ({
    sql: `SELECT ${COLUMNS} FROM sla_policies WHERE tenant_id = $1 AND deleted_at IS NULL ORDER BY position, created_at, id LIMIT 500`,
    params: [tenantId],
  }),
  nameTaken: (tenantId: string, name: string, exceptId: string | null): Statement => ({
    sql: `SELECT 1 FROM sla_policies WHERE tenant_id = $1 AND lower(name) = lower($2) AND deleted_at IS NULL AND id IS DISTINCT FROM $3::uuid`,
    params: [tenantId, name, exceptId],
  }),
  /** What a ticket's SLA is replayed from: its creation, status changes and public replies, in order. */
  timeline: (tenantId: string, ticketId: string): Statement => ({
    sql: `SELECT action, changes, created_at FROM ticket_events
          WHERE tenant_id = $1 AND ticket_id = $2 AND (action = 'ticket.created' OR changes ? 'status' OR (changes -> 'message' -> 'to' ->> 'visibility') = 'public')
          ORDER BY position LIMIT 5000`,
    params: [tenantId, ticketId],
  }),
  /** The same for many tickets at once (a recompute batch), grouped by ticket. */
  timelines: (tenantId: string, ticketIds: readonly string[]): Statement => ({
    sql: `SELECT ticket_id, action, changes, created_at FROM ticket_events
          WHERE tenant_id = $1 AND ticket_id = ANY($2::uuid[]) AND (action = 'ticket.created' OR changes ? 'status' OR (changes -> 'message' -> 'to' ->> 'visibility') = 'public')
          ORDER BY ticket_id, position`,
    params: [tenantId, ticketIds],
  }),
};

export interface TimelineRow {
  ticket_id?: string;
  action: string;
  changes: Record<string, { to?: any }>;
  created_at: Date;
}

/** History rows as the clock's timeline: created, every status change, every public reply (agent or requester). */
export function toTimeline(rows: readonly TimelineRow[]): TimelineEntry[] {
  const out: TimelineEntry[] = [];
  for (const r of rows) {
    const at = new Date(r.created_at).getTime();
    if (r.action === 'ticket.created') {
      out.push({ at, kind: 'created', status: r.changes.status?.to ?? 'new' });
      continue;
    }
    const message = r.changes.message?.to;
    if (message?.visibility === 'public') out.push({ at, kind: 'reply', by: message.authorType === 'contact' ? 'requester' : 'agent' });
    if (r.changes.status?.to) out.push({ at, kind: 'status', status: r.changes.status.to });
  }
  return out;
}
