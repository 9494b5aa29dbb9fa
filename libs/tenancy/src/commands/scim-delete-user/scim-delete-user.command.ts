import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';

export class ScimDeleteUserCommand extends Command<void> {
  constructor(
    readonly context: CommandContext,
    readonly id: string,
  ) {
    super();
  }
}
