import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { MessageSettings } from '../../domain/messages';

export class UpdateMessageSettingsCommand extends Command<MessageSettings> {
  constructor(
    readonly context: CommandContext,
    readonly changes: Partial<MessageSettings>,
  ) {
    super();
  }
}
