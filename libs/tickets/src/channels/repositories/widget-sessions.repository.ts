import { Injectable } from '@nestjs/common';
import type { TenantTx } from '@switchboard/platform';
import type { EntityManager } from 'typeorm';
import { rowsOf } from './channels.repository';

/** A visitor's session on a web channel: never its secret, only the secret's hash. */
export interface WidgetSession {
  tenantId: string;
  id: string;
  channelId: string;
  secretHash: string;
  name: string | null;
  email: string | null;
  contactId: string | null;
  ticketId: string | null;
  expiresAt: Date;
}

const COLUMNS = 'tenant_id, id, channel_id, secret_hash, name, email, contact_id, ticket_id, expires_at';

const toSession = (r: Record<string, any>): WidgetSession => ({
  tenantId: r.tenant_id,
  id: r.id,
  channelId: r.channel_id,
  secretHash: r.secret_hash,
  name: r.name,
  email: r.email,
  contactId: r.contact_id,
  ticketId: r.ticket_id,
  expiresAt: new Date(r.expires_at),
});

/** One message of a visitor's conversation as the visitor sees it (public messages only). */
export interface VisitorMessage {
  id: string;
  /** `agent` for the team's side (agents and automatic messages); agents' names stay inside (the tenancy context owns them). */
  author: 'visitor' | 'agent';
  body: string;
  createdAt: string;
}

const q = async <R = Record<string, any>[]>(tx: TenantTx, sql: string, params: unknown[]): Promise<R> => rowsOf<R>(await tx.manager.query(sql, params));

/** Visitor sessions and what a visitor may read of their own ticket; every method runs in the caller's transaction. */
@Injectable()
export class WidgetSessionsRepository {
  async insert(tx: TenantTx, s: { id: string; channelId: string; secretHash: string; name: string | null; email: string | null; origin: string | null; expiresAt: Date }): Promise<WidgetSession> {
    const [row] = await q(tx, `INSERT INTO widget_sessions (tenant_id, id, channel_id, secret_hash, name, email, origin, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${COLUMNS}`, [
      tx.tenantId,
      s.id,
      s.channelId,
      s.secretHash,
      s.name,
      s.email,
      s.origin,
      s.expiresAt,
    ]);
    return toSession(row!);
  }

  /** Finds a session by the id in a visitor token, before its tenant is known (the secret is checked by the caller). */
  static async routeById(manager: EntityManager, id: string): Promise<WidgetSession | undefined> {
    const rows: Record<string, any>[] = await manager.query(`SELECT ${COLUMNS} FROM widget_sessions WHERE id = $1`, [id]);
    return rows[0] ? toSession(rows[0]) : undefined;
  }

  /** The session, locked: one visitor's messages open at most one ticket even when sent at once. */
  async lock(tx: TenantTx, id: string): Promise<WidgetSession | undefined> {
    const rows = await q(tx, `SELECT ${COLUMNS} FROM widget_sessions WHERE tenant_id = $1 AND id = $2 FOR UPDATE`, [tx.tenantId, id]);
    return rows[0] ? toSession(rows[0]) : undefined;
  }

  /** The session's conversation is this ticket now; the name and email it was started with live on the contact from here on. */
  async attach(tx: TenantTx, id: string, contactId: string, ticketId: string): Promise<void> {
    await q(tx, `UPDATE widget_sessions SET contact_id = $3, ticket_id = $4, name = NULL, email = NULL, last_seen_at = now() WHERE tenant_id = $1 AND id = $2`, [tx.tenantId, id, contactId, ticketId]);
  }

  async touch(tx: TenantTx, id: string): Promise<void> {
    await q(tx, `UPDATE widget_sessions SET last_seen_at = now() WHERE tenant_id = $1 AND id = $2`, [tx.tenantId, id]);
  }

  /** The ticket's public messages, oldest first (internal notes never reach the visitor). */
  async conversation(tx: TenantTx, ticketId: string, limit: number): Promise<VisitorMessage[]> {
    const rows = await q(
      tx,
      `SELECT id, author_type, body, created_at FROM (SELECT id, author_type, body, created_at FROM ticket_messages WHERE tenant_id = $1 AND ticket_id = $2 AND visibility = 'public' ORDER BY created_at DESC, id DESC LIMIT $3) m
       ORDER BY created_at, id`,
      [tx.tenantId, ticketId, limit],
    );
    return rows.map((r) => ({ id: r.id, author: r.author_type === 'contact' ? 'visitor' : 'agent', body: r.body, createdAt: new Date(r.created_at).toISOString() }));
  }
}
