import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';

export class RemoveLineItemCommand extends Command<void> {
  constructor(
    readonly context: CommandContext,
    readonly jobId: string,
    readonly lineItemId: string,
  ) {
    super();
  }
}
