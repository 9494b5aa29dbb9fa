import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { decodeCursor, TenantTransaction, toPage, type Page } from '@switchboard/platform';
import { TICKET_COLUMNS, toTicketView, type TicketRow, type TicketView } from '../../repositories/tickets.sql';
import { ListTicketsQuery } from './list-tickets.query';

/**
 * Filtered, sorted, keyset-paginated tickets. `q` is Postgres full text (websearch syntax) over
 * the subject and every message; operators in the query are treated as text, never as SQL.
 */
@QueryHandler(ListTicketsQuery)
export class ListTicketsHandler implements IQueryHandler<ListTicketsQuery> {
  constructor(private readonly tx: TenantTransaction) {}

  execute({ tenantId, filter }: ListTicketsQuery): Promise<Page<TicketView>> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      const params: unknown[] = [tenantId, filter.limit + 1];
      const where = ['t.tenant_id = $1'];
      const add = (sql: string, value: unknown) => where.push(sql.replaceAll('?', `$${params.push(value)}`));
      if (filter.status?.length) add('t.status = ANY(?::text[])', filter.status);
      if (filter.priority) add('t.priority = ?', filter.priority);
      if (filter.assigneeId) add('t.assignee_id = ?', filter.assigneeId);
      if (filter.requesterId) add('t.requester_id = ?', filter.requesterId);
      if (filter.tag) add('t.tags @> ARRAY[?::text]', filter.tag.trim().toLowerCase());
      if (filter.createdFrom) add('t.created_at >= ?::timestamptz', filter.createdFrom);
      if (filter.createdTo) add('t.created_at < ?::timestamptz', filter.createdTo);
      if (filter.updatedFrom) add('t.updated_at >= ?::timestamptz', filter.updatedFrom);
      if (filter.updatedTo) add('t.updated_at < ?::timestamptz', filter.updatedTo);
      if (filter.q?.trim()) {
        add(
          `(t.search @@ websearch_to_tsquery('simple', ?) OR EXISTS (
             SELECT 1 FROM ticket_messages m WHERE m.tenant_id = t.tenant_id AND m.ticket_id = t.id AND m.search @@ websearch_to_tsquery('simple', ?)))`,
          filter.q.trim(),
        );
      }
      const column = filter.sort === 'updatedAt' ? 't.updated_at' : 't.created_at';
      const direction = filter.order === 'asc' ? 'ASC' : 'DESC';
      if (filter.cursor) {
        const [at, id] = decodeCursor(filter.cursor, 2);
        where.push(`(${column}, t.id) ${direction === 'DESC' ? '<' : '>'} ($${params.push(at)}::timestamptz, $${params.push(id)}::uuid)`);
      }
      const rows: TicketRow[] = await tx.manager.query(
        `SELECT ${TICKET_COLUMNS.split(', ').map((c) => `t.${c}`).join(', ')} FROM tickets t
          WHERE ${where.join(' AND ')} ORDER BY ${column} ${direction}, t.id ${direction} LIMIT $2`,
        params,
      );
      return toPage(rows.map(toTicketView), filter.limit, (t) => [filter.sort === 'updatedAt' ? t.updatedAt : t.createdAt, t.id]);
    });
  }
}
