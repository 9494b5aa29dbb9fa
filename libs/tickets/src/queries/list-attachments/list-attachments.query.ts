import { Query } from '@nestjs/cqrs';
import type { AttachmentView } from '../../repositories/attachments.sql';

export class ListAttachmentsQuery extends Query<AttachmentView[]> {
  constructor(
    readonly tenantId: string,
    readonly ticketId: string,
  ) {
    super();
  }
}

/** One attachment with where its bytes are, for the download route. */
export class GetAttachmentQuery extends Query<AttachmentView & { storageKey: string }> {
  constructor(
    readonly tenantId: string,
    readonly ticketId: string,
    readonly attachmentId: string,
  ) {
    super();
  }
}
