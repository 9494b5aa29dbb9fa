import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';

export class SsoRemoveCommand extends Command<void> {
  constructor(readonly context: CommandContext) {
    super();
  }
}
