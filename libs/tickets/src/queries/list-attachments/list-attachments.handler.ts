import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { ATTACHMENT_COLUMNS, toAttachmentView, type AttachmentRow } from '../../commands/add-attachment/add-attachment.handler';
import type { AttachmentView } from '../../commands/add-attachment/add-attachment.command';
import { loadTicket } from '../../repositories/tickets.sql';
import { GetAttachmentQuery, ListAttachmentsQuery } from './list-attachments.query';

@QueryHandler(ListAttachmentsQuery)
export class ListAttachmentsHandler implements IQueryHandler<ListAttachmentsQuery> {
  constructor(private readonly tx: TenantTransaction) {}

  execute({ tenantId, ticketId }: ListAttachmentsQuery): Promise<AttachmentView[]> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      if (!(await loadTicket(tx.manager, tenantId, ticketId))) throw notFound('Ticket', ticketId);
      const rows: AttachmentRow[] = await tx.manager.query(
        `SELECT ${ATTACHMENT_COLUMNS} FROM ticket_attachments WHERE tenant_id = $1 AND ticket_id = $2 ORDER BY created_at, id LIMIT 1000`,
        [tenantId, ticketId],
      );
      return rows.map(toAttachmentView);
    });
  }
}

@QueryHandler(GetAttachmentQuery)
export class GetAttachmentHandler implements IQueryHandler<GetAttachmentQuery> {
  constructor(private readonly tx: TenantTransaction) {}

  execute({ tenantId, ticketId, attachmentId }: GetAttachmentQuery): Promise<AttachmentView & { storageKey: string }> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      const [row]: AttachmentRow[] = await tx.manager.query(
        `SELECT ${ATTACHMENT_COLUMNS} FROM ticket_attachments WHERE tenant_id = $1 AND ticket_id = $2 AND id = $3`,
        [tenantId, ticketId, attachmentId],
      );
      if (!row) throw notFound('Attachment', attachmentId);
      return { ...toAttachmentView(row), storageKey: row.storage_key };
    });
  }
}
