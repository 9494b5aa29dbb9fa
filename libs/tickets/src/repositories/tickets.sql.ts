import type { TenantTx } from '@switchboard/platform';
import type { EntityManager } from 'typeorm';
import type { Status } from '../domain/ticket';

export interface TicketRow {
  id: string;
  number: number;
  subject: string;
  status: Status;
  priority: string;
  type: string;
  channel: string;
  requester_id: string;
  assignee_id: string | null;
  tags: string[];
  due_at: Date | null;
  external_id: string | null;
  created_at: Date;
  updated_at: Date;
  version: number;
}

export interface TicketView {
  id: string;
  number: number;
  subject: string;
  status: Status;
  priority: string;
  type: string;
  channel: string;
  requesterId: string;
  assigneeId: string | null;
  tags: string[];
  dueAt: string | null;
  externalId: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export const TICKET_COLUMNS = 'id, number, subject, status, priority, type, channel, requester_id, assignee_id, tags, due_at, external_id, created_at, updated_at, version';

export const toTicketView = (t: TicketRow): TicketView => ({
  id: t.id,
  number: t.number,
  subject: t.subject,
  status: t.status,
  priority: t.priority,
  type: t.type,
  channel: t.channel,
  requesterId: t.requester_id,
  assigneeId: t.assignee_id,
  tags: t.tags,
  dueAt: t.due_at ? new Date(t.due_at).toISOString() : null,
  externalId: t.external_id,
  createdAt: new Date(t.created_at).toISOString(),
  updatedAt: new Date(t.updated_at).toISOString(),
  version: t.version,
});

export async function loadTicket(m: EntityManager, tenantId: string, id: string, lock = false): Promise<TicketView | undefined> {
  const rows: TicketRow[] = await m.query(`SELECT ${TICKET_COLUMNS} FROM tickets WHERE tenant_id = $1 AND id = $2${lock ? ' FOR UPDATE' : ''}`, [tenantId, id]);
  return rows[0] ? toTicketView(rows[0]) : undefined;
}

/** One history entry per change, in the ticket's own timeline (separate from the audit log). */
export async function recordHistory(tx: TenantTx, ticketId: string, action: string, changes: Record<string, { from?: unknown; to?: unknown }>): Promise<void> {
  await tx.manager.query(
    `INSERT INTO ticket_events (tenant_id, ticket_id, action, changes, actor_type, actor_id) VALUES ($1, $2, $3, $4::jsonb, $5, $6)`,
    [tx.tenantId, ticketId, action, JSON.stringify(changes), tx.context.actorType ?? 'system', tx.context.actorId],
  );
}
