import type { Statement } from '@switchboard/platform';

/** A ticket's conversation: public replies and internal notes. MessagesRepository executes these. */
export interface MessageView {
  id: string;
  ticketId: string;
  visibility: 'public' | 'internal';
  authorType: 'agent' | 'contact' | 'system';
  authorId: string | null;
  body: string;
  html: string | null;
  createdAt: string;
}

export interface MessageRow {
  id: string;
  ticket_id: string;
  visibility: MessageView['visibility'];
  author_type: MessageView['authorType'];
  author_id: string | null;
  body: string;
  html: string | null;
  created_at: Date;
}

export const MESSAGE_COLUMNS = 'id, ticket_id, visibility, author_type, author_id, body, html, created_at';

export const toMessageView = (r: MessageRow): MessageView => ({
  id: r.id,
  ticketId: r.ticket_id,
  visibility: r.visibility,
  authorType: r.author_type,
  authorId: r.author_id,
  body: r.body,
  html: r.html,
  createdAt: new Date(r.created_at).toISOString(),
});

export interface NewMessageRow {
  visibility: MessageView['visibility'];
  authorType: MessageView['authorType'];
  authorId: string | null;
  body: string;
  /** Already sanitized. */
  html: string | null;
}

export const messageSql = {
  insert: (tenantId: string, ticketId: string, m: NewMessageRow): Statement => ({
    sql: `INSERT INTO ticket_messages (tenant_id, ticket_id, visibility, author_type, author_id, body, html)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${MESSAGE_COLUMNS}`,
    params: [tenantId, ticketId, m.visibility, m.authorType, m.authorId, m.body, m.html],
  }),

  /** A new ticket's description: its first public message, from the requester. */
  insertDescription: (tenantId: string, ticketId: string, requesterId: string, body: string): Statement => ({
    sql: `INSERT INTO ticket_messages (tenant_id, ticket_id, visibility, author_type, author_id, body) VALUES ($1, $2, 'public', 'contact', $3, $4)`,
    params: [tenantId, ticketId, requesterId, body],
  }),

  /** Oldest first, one more than `limit`; `after` is the (created_at, id) of the last message seen. */
  page: (tenantId: string, ticketId: string, page: { limit: number; after?: readonly [at: string, id: string] }): Statement => {
    const params: unknown[] = [tenantId, ticketId, page.limit + 1];
    let after = '';
    if (page.after) {
      const [at, id] = page.after;
      after = `AND (created_at, id) > ($${params.push(at)}::timestamptz, $${params.push(id)}::uuid)`;
    }
    return {
      sql: `SELECT ${MESSAGE_COLUMNS} FROM ticket_messages WHERE tenant_id = $1 AND ticket_id = $2 ${after} ORDER BY created_at, id LIMIT $3`,
      params,
    };
  },

  /** The first message and the newest `recent` ones, oldest → newest (what fits a prompt). */
  firstAndRecent: (tenantId: string, ticketId: string, recent: number): Statement => ({
    sql: `(SELECT ${MESSAGE_COLUMNS} FROM ticket_messages WHERE tenant_id = $1 AND ticket_id = $2 ORDER BY created_at, id LIMIT 1)
     UNION
     (SELECT ${MESSAGE_COLUMNS} FROM ticket_messages WHERE tenant_id = $1 AND ticket_id = $2 ORDER BY created_at DESC, id DESC LIMIT $3)
     ORDER BY created_at, id`,
    params: [tenantId, ticketId, recent],
  }),

  /** A merged contact's messages become the target's. */
  reassignContactAuthor: (tenantId: string, from: string, to: string): Statement => ({
    sql: `UPDATE ticket_messages SET author_id = $2 WHERE tenant_id = $1 AND author_type = 'contact' AND author_id = $3`,
    params: [tenantId, to, from],
  }),
};
