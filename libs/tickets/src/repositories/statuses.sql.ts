import type { Statement } from '@switchboard/platform';
import type { Status } from '../domain/ticket';

export interface StatusRow {
  id: string;
  category: Status;
  agent_label: string;
  end_user_label: string | null;
  description: string | null;
  active: boolean;
  position: number;
  created_at: Date;
  updated_at: Date;
  version: number;
}

export interface StatusFields {
  category: Status;
  agentLabel: string;
  endUserLabel: string | null;
  description: string | null;
  active: boolean;
  position: number;
}

export interface StatusView extends StatusFields {
  id: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

const COLUMNS = 'id, category, agent_label, end_user_label, description, active, position, created_at, updated_at, version';

export const toStatusView = (r: StatusRow): StatusView => ({
  id: r.id,
  category: r.category,
  agentLabel: r.agent_label,
  endUserLabel: r.end_user_label,
  description: r.description,
  active: r.active,
  position: r.position,
  createdAt: new Date(r.created_at).toISOString(),
  updatedAt: new Date(r.updated_at).toISOString(),
  version: r.version,
});

export const statusesSql = {
  find: (tenantId: string, id: string, lock = false): Statement => ({
    sql: `SELECT ${COLUMNS} FROM ticket_statuses WHERE tenant_id = $1 AND id = $2${lock ? ' FOR UPDATE' : ''}`,
    params: [tenantId, id],
  }),
  insert: (tenantId: string, f: StatusFields): Statement => ({
    sql: `INSERT INTO ticket_statuses (tenant_id, category, agent_label, end_user_label, description, active, position) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
    params: [tenantId, f.category, f.agentLabel, f.endUserLabel, f.description, f.active, f.position],
  }),
  update: (tenantId: string, id: string, f: StatusFields): Statement => ({
    sql: `UPDATE ticket_statuses SET agent_label = $3, end_user_label = $4, description = $5, active = $6, position = $7, updated_at = now(), version = version + 1
          WHERE tenant_id = $1 AND id = $2`,
    params: [tenantId, id, f.agentLabel, f.endUserLabel, f.description, f.active, f.position],
  }),
  delete: (tenantId: string, id: string): Statement => ({ sql: `DELETE FROM ticket_statuses WHERE tenant_id = $1 AND id = $2`, params: [tenantId, id] }),
  list: (tenantId: string): Statement => ({
    sql: `SELECT ${COLUMNS} FROM ticket_statuses WHERE tenant_id = $1
          ORDER BY array_position(ARRAY['new','open','pending','on_hold','solved','closed'], category), position, lower(agent_label) LIMIT 500`,
    params: [tenantId],
  }),
  labelTaken: (tenantId: string, label: string, exceptId: string | null): Statement => ({
    sql: `SELECT 1 FROM ticket_statuses WHERE tenant_id = $1 AND lower(agent_label) = lower($2) AND id IS DISTINCT FROM $3::uuid`,
    params: [tenantId, label, exceptId],
  }),
  ticketsUsing: (tenantId: string, id: string): Statement => ({
    sql: `SELECT count(*)::int AS n FROM tickets WHERE tenant_id = $1 AND custom_status_id = $2 AND deleted_at IS NULL`,
    params: [tenantId, id],
  }),
  count: (tenantId: string): Statement => ({ sql: `SELECT count(*)::int AS n FROM ticket_statuses WHERE tenant_id = $1`, params: [tenantId] }),
};
