import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, ProblemException, TenantTransaction } from '@switchboard/platform';
import { sanitizeMessageHtml } from '../../domain/sanitize';
import { statusAfterMessage } from '../../domain/ticket';
import { loadTicket, recordHistory } from '../../repositories/tickets.sql';
import { AddMessageCommand, type MessageView } from './add-message.command';
import { MessageAdded, TicketStatusChanged } from '../../tickets.context';

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

/** A public reply or an internal note; public replies move the ticket along its lifecycle. */
@CommandHandler(AddMessageCommand)
export class AddMessageHandler implements ICommandHandler<AddMessageCommand> {
  constructor(private readonly tx: TenantTransaction) {}

  execute({ context, ticketId, message }: AddMessageCommand): Promise<MessageView> {
    return this.tx.run(context, async (tx) => {
      const ticket = await loadTicket(tx.manager, context.tenantId, ticketId, true);
      if (!ticket) throw notFound('Ticket', ticketId);
      if (ticket.status === 'closed') {
        throw new ProblemException({ status: 422, type: 'ticket-closed', title: 'Unprocessable Content', detail: 'A closed ticket takes no more messages; create a follow-up ticket.' });
      }
      const authorType = message.author === 'requester' ? 'contact' : 'agent';
      const authorId = authorType === 'contact' ? ticket.requesterId : context.actorId;
      const [row]: MessageRow[] = await tx.manager.query(
        `INSERT INTO ticket_messages (tenant_id, ticket_id, visibility, author_type, author_id, body, html)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${MESSAGE_COLUMNS}`,
        [context.tenantId, ticketId, message.visibility, authorType, authorId, message.body, message.html ? sanitizeMessageHtml(message.html) : null],
      );
      const view = toMessageView(row);
      const status = statusAfterMessage(ticket.status, authorType, message.visibility);
      await tx.manager.query(
        `UPDATE tickets SET status = $3, updated_at = now(), version = version + 1 WHERE tenant_id = $1 AND id = $2`,
        [context.tenantId, ticketId, status],
      );
      const changes: Record<string, { from?: unknown; to?: unknown }> = { message: { to: { id: view.id, visibility: view.visibility, authorType } } };
      if (status !== ticket.status) changes.status = { from: ticket.status, to: status };
      await recordHistory(tx, ticketId, 'ticket.message_added', changes);
      await tx.audit({ action: 'ticket.message_added', entityType: 'ticket', entityId: ticketId, after: { messageId: view.id, visibility: view.visibility, status } });
      const version = ticket.version + 1;
      await tx.emit(MessageAdded.of(ticketId, { message: view, version }));
      if (status !== ticket.status) {
        await tx.emit(TicketStatusChanged.of(ticketId, { from: ticket.status, to: status, version }));
      }
      return view;
    });
  }
}
