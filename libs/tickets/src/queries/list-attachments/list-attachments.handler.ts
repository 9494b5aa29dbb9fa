import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { AttachmentsRepository } from '../../repositories/attachments.repository';
import type { AttachmentView } from '../../repositories/attachments.sql';
import { TicketsRepository } from '../../repositories/tickets.repository';
import { GetAttachmentQuery, ListAttachmentsQuery } from './list-attachments.query';

@QueryHandler(ListAttachmentsQuery)
export class ListAttachmentsHandler implements IQueryHandler<ListAttachmentsQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly tickets: TicketsRepository,
    private readonly attachments: AttachmentsRepository,
  ) {}

  execute({ tenantId, ticketId }: ListAttachmentsQuery): Promise<AttachmentView[]> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      if (!(await this.tickets.find(tx, ticketId))) throw notFound('Ticket', ticketId);
      return this.attachments.ofTicket(tx, ticketId);
    });
  }
}

@QueryHandler(GetAttachmentQuery)
export class GetAttachmentHandler implements IQueryHandler<GetAttachmentQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly attachments: AttachmentsRepository,
  ) {}

  execute({ tenantId, ticketId, attachmentId }: GetAttachmentQuery): Promise<AttachmentView & { storageKey: string }> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      const attachment = await this.attachments.find(tx, ticketId, attachmentId);
      if (!attachment) throw notFound('Attachment', attachmentId);
      return attachment;
    });
  }
}
