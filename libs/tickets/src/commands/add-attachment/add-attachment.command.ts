import { Command } from '@nestjs/cqrs';
import type { CommandContext, StoredUpload } from '@switchboard/platform';

export interface AttachmentView {
  id: string;
  ticketId: string;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  uploadedBy: string | null;
  createdAt: string;
}

/** Records a file already streamed to storage; the handler checks its type first. */
export class AddAttachmentCommand extends Command<AttachmentView> {
  constructor(
    readonly context: CommandContext,
    readonly ticketId: string,
    readonly upload: StoredUpload,
  ) {
    super();
  }
}
