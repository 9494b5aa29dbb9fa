import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';

export class DeleteServiceCommand extends Command<void> {
  constructor(
    readonly context: CommandContext,
    readonly serviceId: string,
  ) {
    super();
  }
}
