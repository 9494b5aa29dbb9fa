import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';

export class DeleteGroupCommand extends Command<void> {
  constructor(
    readonly context: CommandContext,
    readonly groupId: string,
  ) {
    super();
  }
}
