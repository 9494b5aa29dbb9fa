import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, ProblemException, TenantFiles, TenantTransaction } from '@switchboard/platform';
import { sniffAllowedType } from '../../domain/attachment-types';
import { loadTicket, recordHistory } from '../../repositories/tickets.sql';
import { AddAttachmentCommand, type AttachmentView } from './add-attachment.command';
import { AttachmentAdded } from '../../tickets.context';

export interface AttachmentRow {
  id: string;
  ticket_id: string;
  storage_key: string;
  filename: string;
  content_type: string;
  size: string;
  sha256: string;
  uploaded_by: string | null;
  created_at: Date;
}

export const ATTACHMENT_COLUMNS = 'id, ticket_id, storage_key, filename, content_type, size, sha256, uploaded_by, created_at';

export const toAttachmentView = (r: AttachmentRow): AttachmentView => ({
  id: r.id,
  ticketId: r.ticket_id,
  filename: r.filename,
  contentType: r.content_type,
  size: Number(r.size),
  sha256: r.sha256,
  uploadedBy: r.uploaded_by,
  createdAt: new Date(r.created_at).toISOString(),
});

@CommandHandler(AddAttachmentCommand)
export class AddAttachmentHandler implements ICommandHandler<AddAttachmentCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly files: TenantFiles,
  ) {}

  async execute({ context, ticketId, upload }: AddAttachmentCommand): Promise<AttachmentView> {
    try {
      const contentType = await sniffAllowedType(await this.files.head(context.tenantId, upload.key), upload.declaredType);
      if (!contentType) {
        throw new ProblemException({
          status: 415,
          type: 'unsupported-attachment',
          title: 'Unsupported Media Type',
          detail: 'This kind of file cannot be attached; allowed are images, PDF, office documents, archives and plain text.',
          errors: [{ field: 'file', message: 'file type not allowed' }],
        });
      }
      return await this.tx.run(context, async (tx) => {
        const ticket = await loadTicket(tx.manager, context.tenantId, ticketId);
        if (!ticket) throw notFound('Ticket', ticketId);
        const [row]: AttachmentRow[] = await tx.manager.query(
          `INSERT INTO ticket_attachments (tenant_id, ticket_id, storage_key, filename, content_type, size, sha256, uploaded_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${ATTACHMENT_COLUMNS}`,
          [context.tenantId, ticketId, upload.key, upload.filename, contentType, upload.size, upload.sha256, context.actorId],
        );
        const view = toAttachmentView(row);
        const summary = { id: view.id, filename: view.filename, contentType, size: view.size };
        await recordHistory(tx, ticketId, 'ticket.attachment_added', { attachment: { to: summary } });
        await tx.audit({ action: 'ticket.attachment_added', entityType: 'ticket', entityId: ticketId, after: summary });
        await tx.emit(AttachmentAdded.of(ticketId, summary));
        return view;
      });
    } catch (error) {
      await this.files.remove(context.tenantId, upload.key); // nothing half-written: no row, no file
      throw error;
    }
  }
}
