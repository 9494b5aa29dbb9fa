import { Inject, Optional } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, ProblemException, TenantFiles, TenantTransaction } from '@switchboard/platform';
import { sniffAllowedType } from '../../domain/attachment-types';
import { STORAGE_QUOTA_POLICY, storageRefusal, type StorageQuotaPolicy } from '../../domain/storage-quota.port';
import { AttachmentsRepository } from '../../repositories/attachments.repository';
import type { AttachmentView } from '../../repositories/attachments.sql';
import { TicketsRepository } from '../../repositories/tickets.repository';
import { AddAttachmentCommand } from './add-attachment.command';
import { AttachmentAdded } from '../../tickets.context';

@CommandHandler(AddAttachmentCommand)
export class AddAttachmentHandler implements ICommandHandler<AddAttachmentCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly files: TenantFiles,
    private readonly tickets: TicketsRepository,
    private readonly attachments: AttachmentsRepository,
    @Optional() @Inject(STORAGE_QUOTA_POLICY) private readonly quota?: StorageQuotaPolicy,
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
      // Read before the transaction: the policy has its own (cached) reads.
      const quota = this.quota ? await this.quota.storageLimit(context) : null;
      return await this.tx.run(context, async (tx) => {
        if (!(await this.tickets.find(tx, ticketId))) throw notFound('Ticket', ticketId);
        if (quota?.limit != null) {
          const refusal = storageRefusal(quota, await this.attachments.storedBytesForUpdate(tx), upload.size);
          if (refusal) throw refusal;
        }
        const view = await this.attachments.insert(tx, ticketId, {
          storageKey: upload.key,
          filename: upload.filename,
          contentType,
          size: upload.size,
          sha256: upload.sha256,
          uploadedBy: context.actorId,
        });
        const summary = { id: view.id, filename: view.filename, contentType, size: view.size };
        await this.tickets.recordHistory(tx, ticketId, 'ticket.attachment_added', { attachment: { to: summary } });
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
