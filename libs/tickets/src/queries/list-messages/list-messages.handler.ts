import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { decodeCursor, notFound, TenantTransaction, toPage, type Page } from '@switchboard/platform';
import { MESSAGE_COLUMNS, toMessageView, type MessageRow } from '../../commands/add-message/add-message.handler';
import type { MessageView } from '../../commands/add-message/add-message.command';
import { loadTicket } from '../../repositories/tickets.sql';
import { ListMessagesQuery } from './list-messages.query';

/** The conversation, oldest first. */
@QueryHandler(ListMessagesQuery)
export class ListMessagesHandler implements IQueryHandler<ListMessagesQuery> {
  constructor(private readonly tx: TenantTransaction) {}

  execute({ tenantId, ticketId, page }: ListMessagesQuery): Promise<Page<MessageView>> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      if (!(await loadTicket(tx.manager, tenantId, ticketId))) throw notFound('Ticket', ticketId);
      const params: unknown[] = [tenantId, ticketId, page.limit + 1];
      let after = '';
      if (page.cursor) {
        const [at, id] = decodeCursor(page.cursor, 2);
        after = `AND (created_at, id) > ($${params.push(at)}::timestamptz, $${params.push(id)}::uuid)`;
      }
      const rows: MessageRow[] = await tx.manager.query(
        `SELECT ${MESSAGE_COLUMNS} FROM ticket_messages WHERE tenant_id = $1 AND ticket_id = $2 ${after} ORDER BY created_at, id LIMIT $3`,
        params,
      );
      return toPage(rows.map(toMessageView), page.limit, (m) => [m.createdAt, m.id]);
    });
  }
}
