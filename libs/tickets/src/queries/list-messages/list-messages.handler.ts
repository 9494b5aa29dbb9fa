import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { decodeCursor, notFound, TenantTransaction, toPage, type Page } from '@switchboard/platform';
import { MessagesRepository } from '../../repositories/messages.repository';
import type { MessageView } from '../../repositories/messages.sql';
import { TicketsRepository } from '../../repositories/tickets.repository';
import { ListMessagesQuery } from './list-messages.query';

/** The conversation, oldest first. */
@QueryHandler(ListMessagesQuery)
export class ListMessagesHandler implements IQueryHandler<ListMessagesQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly tickets: TicketsRepository,
    private readonly messages: MessagesRepository,
  ) {}

  execute({ tenantId, ticketId, page }: ListMessagesQuery): Promise<Page<MessageView>> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      if (!(await this.tickets.find(tx, ticketId))) throw notFound('Ticket', ticketId);
      const after = page.cursor ? (decodeCursor(page.cursor, 2) as [string, string]) : undefined;
      const rows = await this.messages.page(tx, ticketId, { limit: page.limit, after });
      return toPage(rows, page.limit, (m) => [m.createdAt, m.id]);
    });
  }
}
