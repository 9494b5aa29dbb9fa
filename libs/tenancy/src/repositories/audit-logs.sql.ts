import { decodeCursor } from '@switchboard/platform';
import type { EntityManager } from 'typeorm';
import type { AuditLogFilter, AuditLogView } from '../queries/list-audit-logs/list-audit-logs.query';

interface AuditRow {
  id: string;
  actor_type: string;
  actor_id: string | null;
  impersonator_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  changes: AuditLogView['changes'];
  request_id: string | null;
  ip: string | null;
  user_agent: string | null;
  created_at: Date;
}

const AUDIT_COLUMNS = 'id, actor_type, actor_id, impersonator_id, action, entity_type, entity_id, changes, request_id, ip, user_agent, created_at';

const toAuditLogView = (r: AuditRow): AuditLogView => ({
  id: r.id,
  actorType: r.actor_type,
  actorId: r.actor_id,
  impersonatorId: r.impersonator_id,
  action: r.action,
  entityType: r.entity_type,
  entityId: r.entity_id,
  changes: r.changes,
  requestId: r.request_id,
  ip: r.ip,
  userAgent: r.user_agent,
  createdAt: new Date(r.created_at).toISOString(),
});

/** Newest first, keyset-paginated; one row more than `limit` tells whether a next page exists. (Entries are written by `TenantTx.audit`.) */
export async function listAuditLogs(m: EntityManager, tenantId: string, filter: AuditLogFilter): Promise<AuditLogView[]> {
  const params: unknown[] = [tenantId, filter.limit + 1];
  const where = ['tenant_id = $1'];
  const add = (sql: string, value: unknown) => where.push(sql.replace('?', `$${params.push(value)}`));
  if (filter.entityType) add('entity_type = ?', filter.entityType);
  if (filter.entityId) add('entity_id = ?', filter.entityId);
  if (filter.actorId) add('actor_id = ?', filter.actorId);
  if (filter.action) add('action = ?', filter.action);
  if (filter.from) add('created_at >= ?::timestamptz', filter.from);
  if (filter.to) add('created_at < ?::timestamptz', filter.to);
  if (filter.cursor) {
    const [createdAt, id] = decodeCursor(filter.cursor, 2);
    where.push(`(created_at, id) < ($${params.push(createdAt)}::timestamptz, $${params.push(id)}::uuid)`);
  }
  const rows: AuditRow[] = await m.query(`SELECT ${AUDIT_COLUMNS} FROM audit_logs WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT $2`, params);
  return rows.map(toAuditLogView);
}
