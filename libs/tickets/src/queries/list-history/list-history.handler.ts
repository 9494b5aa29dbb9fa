import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { decodeCursor, notFound, TenantTransaction, toPage, type Page } from '@switchboard/platform';
import { loadTicket } from '../../repositories/tickets.sql';
import { ListHistoryQuery, type HistoryEntry } from './list-history.query';

/** Every change of the ticket, newest first. */
@QueryHandler(ListHistoryQuery)
export class ListHistoryHandler implements IQueryHandler<ListHistoryQuery> {
  constructor(private readonly tx: TenantTransaction) {}

  execute({ tenantId, ticketId, page, field }: ListHistoryQuery): Promise<Page<HistoryEntry>> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      if (!(await loadTicket(tx.manager, tenantId, ticketId))) throw notFound('Ticket', ticketId);
      const params: unknown[] = [tenantId, ticketId, page.limit + 1];
      let before = '';
      if (page.cursor) before = `AND position < $${params.push(decodeCursor(page.cursor, 1)[0])}::bigint`;
      if (field) before += ` AND changes ? $${params.push(field)}`;
      const rows: (Omit<HistoryEntry, 'createdAt' | 'actorType' | 'actorId'> & { position: string; actor_type: string; actor_id: string | null; created_at: Date })[] =
        await tx.manager.query(
          `SELECT id, position, action, changes, actor_type, actor_id, created_at FROM ticket_events
            WHERE tenant_id = $1 AND ticket_id = $2 ${before} ORDER BY position DESC LIMIT $3`,
          params,
        );
      const { data, nextCursor } = toPage(rows, page.limit, (r) => [Number(r.position)]);
      return {
        data: data.map((r) => ({ id: r.id, action: r.action, changes: r.changes, actorType: r.actor_type, actorId: r.actor_id, createdAt: new Date(r.created_at).toISOString() })),
        nextCursor,
      };
    });
  }
}
