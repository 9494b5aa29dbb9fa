import { Query } from '@nestjs/cqrs';
import type { AttachmentView } from '../../commands/add-attachment/add-attachment.command';

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
