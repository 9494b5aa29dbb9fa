import { Module } from '@nestjs/common';
import { AddAttachmentHandler } from './commands/add-attachment/add-attachment.handler';
import { GetAttachmentHandler, ListAttachmentsHandler } from './queries/list-attachments/list-attachments.handler';
import { AddMessageHandler } from './commands/add-message/add-message.handler';
import { BulkUpdateTicketsHandler } from './commands/bulk-update-tickets/bulk-update-tickets.handler';
import { ChangeParticipantsHandler } from './commands/change-participants/change-participants.handler';
import { ListParticipantsHandler } from './queries/list-participants/list-participants.handler';
import { CreateTicketHandler } from './commands/create-ticket/create-ticket.handler';
import { UpdateTicketHandler } from './commands/update-ticket/update-ticket.handler';
import { ExportTicketsHandler } from './queries/export-tickets/export-tickets.handler';
import { GetTicketHandler } from './queries/get-ticket/get-ticket.handler';
import { ListHistoryHandler } from './queries/list-history/list-history.handler';
import { ListMessagesHandler } from './queries/list-messages/list-messages.handler';
import { ListTicketsHandler } from './queries/list-tickets/list-tickets.handler';

/** Tickets, their conversation and history. */
@Module({
  providers: [ChangeParticipantsHandler, ListParticipantsHandler, AddAttachmentHandler, ListAttachmentsHandler, GetAttachmentHandler, CreateTicketHandler, BulkUpdateTicketsHandler, ExportTicketsHandler, UpdateTicketHandler, AddMessageHandler, GetTicketHandler, ListTicketsHandler, ListMessagesHandler, ListHistoryHandler],
})
export class TicketsModule {}
