import { dailySeries, defineOperatorStats } from '@switchboard/platform';

/**
 * Tickets' sections of the operators' statistics. Daily activity reads the UTC-day indexes of
 * `created_at` over the window only (index-only range scans); storage reads the per-tenant attachment totals a
 * trigger keeps beside `ticket_attachments` (one row per tenant).
 */
export const TicketActivityStats = defineOperatorStats({
  name: 'activity',
  description: 'Tickets and messages created per UTC day',
  collect: async (db, window) => {
    const perDay = (table: 'tickets' | 'ticket_messages') =>
      db.query<{ day: string; n: string }>(
        // The expression of the `*_created_day` indexes, so the range is read from the index alone.
        `SELECT to_char((created_at AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS day, count(*) AS n FROM ${table}
          WHERE (created_at AT TIME ZONE 'UTC')::date >= $1::date GROUP BY (created_at AT TIME ZONE 'UTC')::date`,
        [window.from.toISOString().slice(0, 10)],
      );
    const tickets = await perDay('tickets');
    const messages = await perDay('ticket_messages');
    const days = dailySeries(window, ['tickets', 'messages'], [...tickets.map((r) => ({ day: r.day, tickets: r.n })), ...messages.map((r) => ({ day: r.day, messages: r.n }))]);
    return {
      ticketsCreated: days.reduce((sum, d) => sum + d.tickets, 0),
      messagesCreated: days.reduce((sum, d) => sum + d.messages, 0),
      days,
    };
  },
});

export const TicketStorageStats = defineOperatorStats({
  name: 'storage',
  description: 'Ticket attachments: files and bytes, in all and for the tenants holding the most',
  collect: async (db, window) => {
    const [total] = await db.query<{ tenants: string; files: string | null; bytes: string | null }>(
      `SELECT count(*) AS tenants, sum(files) AS files, sum(bytes) AS bytes FROM ticket_attachment_usage WHERE files > 0`,
    );
    const top = await db.query<{ tenant_id: string; files: string; bytes: string }>(
      `SELECT tenant_id, files, bytes FROM ticket_attachment_usage WHERE files > 0 ORDER BY bytes DESC, tenant_id LIMIT $1`,
      [window.top],
    );
    return {
      files: Number(total?.files ?? 0),
      bytes: Number(total?.bytes ?? 0),
      tenants: Number(total?.tenants ?? 0),
      byTenant: top.map((r) => ({ tenantId: r.tenant_id, files: Number(r.files), bytes: Number(r.bytes) })),
    };
  },
});
