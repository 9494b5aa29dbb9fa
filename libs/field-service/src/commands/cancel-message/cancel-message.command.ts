import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { MessageView } from '../../repositories/messages.sql';

export class CancelMessageCommand extends Command<MessageView> {
  constructor(
    readonly context: CommandContext,
    readonly messageId: string,
  ) {
    super();
  }
}
