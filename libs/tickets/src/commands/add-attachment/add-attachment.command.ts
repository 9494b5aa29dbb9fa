import { Command } from '@nestjs/cqrs';
import type { CommandContext, StoredUpload } from '@switchboard/platform';
import type { AttachmentView } from '../../repositories/attachments.sql';

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
