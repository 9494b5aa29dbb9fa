import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';

export class DeleteStatusCommand extends Command<void> {
  constructor(
    readonly context: CommandContext,
    readonly statusId: string,
  ) {
    super();
  }
}
