import { Inject, Optional } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { TICKET_TRIGGERS, type TicketTriggers } from '../../triggers/ticket-triggers';
import { notFound, ProblemException, TenantTransaction, type TenantTx } from '@switchboard/platform';
import { sanitizeMessageHtml } from '../../domain/sanitize';
import { statusAfterMessage } from '../../domain/ticket';
import { MessagesRepository } from '../../repositories/messages.repository';
import type { MessageView } from '../../repositories/messages.sql';
import { TicketsRepository } from '../../repositories/tickets.repository';
import type { TicketView } from '../../repositories/tickets.sql';
import { withinWindow } from '../../channels/domain/chat-window';
import { ChannelsRepository } from '../../channels/repositories/channels.repository';
import { AddMessageCommand, type NewMessage } from './add-message.command';
import { MessageAdded, TicketStatusChanged } from '../../tickets.context';

/** Hops followed from a merged ticket to the one it went into (merges of merges). */
const MAX_MERGE_HOPS = 10;

/**
 * Adds a message inside the caller's transaction: a public reply or an internal note; public
 * replies move the ticket along its lifecycle. The requester writing to a ticket that was merged
 * lands in the ticket it went into; an agent is told where to reply instead.
 */
export async function appendMessage(tx: TenantTx, deps: { tickets: TicketsRepository; messages: MessagesRepository; channels: ChannelsRepository }, ticketId: string, message: NewMessage): Promise<MessageView> {
  const context = tx.context;
  let ticket = await deps.tickets.findForUpdate(tx, ticketId);
  if (!ticket) throw notFound('Ticket', ticketId);
  const writtenTo = ticket;
  for (let hop = 0; ticket.mergedIntoId && message.author === 'requester' && hop < MAX_MERGE_HOPS; hop++) {
    const target: TicketView | undefined = await deps.tickets.findForUpdate(tx, ticket.mergedIntoId);
    if (!target) break;
    ticket = target;
  }
  if (ticket.status === 'closed') {
    const detail = ticket.mergedIntoId
      ? `This ticket was merged into ticket ${ticket.mergedIntoId}; add the message there.`
      : 'A closed ticket takes no more messages; create a follow-up ticket.';
    throw new ProblemException({ status: 422, type: 'ticket-closed', title: 'Unprocessable Content', detail, extensions: ticket.mergedIntoId ? { mergedIntoId: ticket.mergedIntoId } : undefined });
  }
  const id = ticket.id;
  const authorType = message.author === 'requester' ? 'contact' : 'agent';
  if (authorType === 'agent' && message.visibility === 'public' && !message.template) {
    // Refused here rather than failing later in the delivery queue, so the agent can send a template instead.
    const chat = await deps.channels.chatWindow(tx, id);
    if (chat?.kind === 'whatsapp' && !withinWindow(chat.lastInboundAt)) {
      throw new ProblemException({
        status: 422,
        type: 'whatsapp-window-closed',
        title: 'Unprocessable Content',
        detail: `This ticket's conversation is on WhatsApp and the customer last wrote ${chat.lastInboundAt ? `at ${chat.lastInboundAt.toISOString()}` : 'never'}: more than 24 hours ago, so WhatsApp delivers no free text. Send an approved template with POST /v1/tickets/${id}/whatsapp-template, or add an internal note.`,
      });
    }
  }
  const authorId = authorType === 'contact' ? (message.contactId ?? writtenTo.requesterId) : context.actorId;
  const view = await deps.messages.insert(tx, id, {
    visibility: message.visibility,
    authorType,
    authorId,
    body: message.body,
    html: message.html ? sanitizeMessageHtml(message.html) : null,
  });
  const status = statusAfterMessage(ticket.status, authorType, message.visibility);
  await deps.tickets.touchAfterMessage(tx, id, status);
  const changes: Record<string, { from?: unknown; to?: unknown }> = { message: { to: { id: view.id, visibility: view.visibility, authorType } } };
  if (status !== ticket.status) changes.status = { from: ticket.status, to: status };
  await deps.tickets.recordHistory(tx, id, 'ticket.message_added', changes);
  await tx.audit({ action: 'ticket.message_added', entityType: 'ticket', entityId: id, after: { messageId: view.id, visibility: view.visibility, status } });
  const version = ticket.version + 1;
  await tx.emit(MessageAdded.of(id, { message: view, version }));
  if (status !== ticket.status) {
    await tx.emit(TicketStatusChanged.of(id, { from: ticket.status, to: status, version }));
  }
  return view;
}

/** A public reply or an internal note; public replies move the ticket along its lifecycle. */
@CommandHandler(AddMessageCommand)
export class AddMessageHandler implements ICommandHandler<AddMessageCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly tickets: TicketsRepository,
    private readonly messages: MessagesRepository,
    private readonly channels: ChannelsRepository,
    /** Absent in unit specs of the message path itself; the module always provides it. */
    @Optional() @Inject(TICKET_TRIGGERS) private readonly triggers?: TicketTriggers,
  ) {}

  execute({ context, ticketId, message }: AddMessageCommand): Promise<MessageView> {
    return this.tx.run(context, async (tx) => {
      const from = tx.events.length;
      const added = await appendMessage(tx, { tickets: this.tickets, messages: this.messages, channels: this.channels }, ticketId, message);
      await this.triggers?.afterCommand(tx, from);
      return added;
    });
  }
}
