import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';

export class DeleteViewCommand extends Command<void> {
  constructor(
    readonly context: CommandContext,
    readonly viewId: string,
    readonly configures: boolean,
  ) {
    super();
  }
}
