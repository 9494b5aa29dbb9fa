import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, ProblemException, TenantTransaction } from '@switchboard/platform';
import { sanitizeMessageHtml } from '../../domain/sanitize';
import { statusAfterMessage } from '../../domain/ticket';
import { MessagesRepository } from '../../repositories/messages.repository';
import type { MessageView } from '../../repositories/messages.sql';
import { TicketsRepository } from '../../repositories/tickets.repository';
import { AddMessageCommand } from './add-message.command';
import { MessageAdded, TicketStatusChanged } from '../../tickets.context';

/** A public reply or an internal note; public replies move the ticket along its lifecycle. */
@CommandHandler(AddMessageCommand)
export class AddMessageHandler implements ICommandHandler<AddMessageCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly tickets: TicketsRepository,
    private readonly messages: MessagesRepository,
  ) {}

  execute({ context, ticketId, message }: AddMessageCommand): Promise<MessageView> {
    return this.tx.run(context, async (tx) => {
      const ticket = await this.tickets.findForUpdate(tx, ticketId);
      if (!ticket) throw notFound('Ticket', ticketId);
      if (ticket.status === 'closed') {
        throw new ProblemException({ status: 422, type: 'ticket-closed', title: 'Unprocessable Content', detail: 'A closed ticket takes no more messages; create a follow-up ticket.' });
      }
      const authorType = message.author === 'requester' ? 'contact' : 'agent';
      const authorId = authorType === 'contact' ? (message.contactId ?? ticket.requesterId) : context.actorId;
      const view = await this.messages.insert(tx, ticketId, {
        visibility: message.visibility,
        authorType,
        authorId,
        body: message.body,
        html: message.html ? sanitizeMessageHtml(message.html) : null,
      });
      const status = statusAfterMessage(ticket.status, authorType, message.visibility);
      await this.tickets.touchAfterMessage(tx, ticketId, status);
      const changes: Record<string, { from?: unknown; to?: unknown }> = { message: { to: { id: view.id, visibility: view.visibility, authorType } } };
      if (status !== ticket.status) changes.status = { from: ticket.status, to: status };
      await this.tickets.recordHistory(tx, ticketId, 'ticket.message_added', changes);
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
