import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { TicketDeletionRepository } from '../../repositories/deletion.repository';
import { ExportContactTicketsQuery, type ContactTicketsExport } from './export-contact-tickets.query';

@QueryHandler(ExportContactTicketsQuery)
export class ExportContactTicketsHandler implements IQueryHandler<ExportContactTicketsQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly repository: TicketDeletionRepository,
  ) {}

  execute({ tenantId, contactId }: ExportContactTicketsQuery): Promise<ContactTicketsExport> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      const tickets = await this.repository.ticketsOfRequester(tx, contactId);
      const ids = tickets.map((t) => t.id);
      const messages = await this.repository.messagesOf(tx, ids, contactId);
      const attachments = await this.repository.attachmentsOf(tx, ids);
      return {
        tickets: tickets.map((t) => ({ ...t, messages: messages.filter((m) => m.ticketId === t.id), attachments: attachments.filter((a) => a.ticketId === t.id) })),
        otherMessages: messages.filter((m) => !ids.includes(m.ticketId)),
      };
    });
  }
}
