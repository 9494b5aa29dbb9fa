import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, ProblemException, TenantTransaction } from '@switchboard/platform';
import { sanitizeMessageHtml } from '../../domain/sanitize';
import { statusAfterMessage } from '../../domain/ticket';
import { MessagesRepository } from '../../repositories/messages.repository';
import type { MessageView } from '../../repositories/messages.sql';
import { TicketsRepository } from '../../repositories/tickets.repository';
import { withinWindow } from '../../channels/domain/chat-window';
import { ChannelsRepository } from '../../channels/repositories/channels.repository';
import { AddMessageCommand } from './add-message.command';
import { MessageAdded, TicketStatusChanged } from '../../tickets.context';

/** A public reply or an internal note; public replies move the ticket along its lifecycle. */
@CommandHandler(AddMessageCommand)
export class AddMessageHandler implements ICommandHandler<AddMessageCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly tickets: TicketsRepository,
    private readonly messages: MessagesRepository,
    private readonly channels: ChannelsRepository,
  ) {}

  execute({ context, ticketId, message }: AddMessageCommand): Promise<MessageView> {
    return this.tx.run(context, async (tx) => {
      const ticket = await this.tickets.findForUpdate(tx, ticketId);
      if (!ticket) throw notFound('Ticket', ticketId);
      if (ticket.status === 'closed') {
        throw new ProblemException({ status: 422, type: 'ticket-closed', title: 'Unprocessable Content', detail: 'A closed ticket takes no more messages; create a follow-up ticket.' });
      }
      const authorType = message.author === 'requester' ? 'contact' : 'agent';
      if (authorType === 'agent' && message.visibility === 'public' && !message.template) {
        // Refused here rather than failing later in the delivery queue, so the agent can send a template instead.
        const chat = await this.channels.chatWindow(tx, ticketId);
        if (chat?.kind === 'whatsapp' && !withinWindow(chat.lastInboundAt)) {
          throw new ProblemException({
            status: 422,
            type: 'whatsapp-window-closed',
            title: 'Unprocessable Content',
            detail: `This ticket's conversation is on WhatsApp and the customer last wrote ${chat.lastInboundAt ? `at ${chat.lastInboundAt.toISOString()}` : 'never'}: more than 24 hours ago, so WhatsApp delivers no free text. Send an approved template with POST /v1/tickets/${ticketId}/whatsapp-template, or add an internal note.`,
          });
        }
      }
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
