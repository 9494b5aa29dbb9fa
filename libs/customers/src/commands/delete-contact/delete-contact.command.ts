import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';

export class DeleteContactCommand extends Command<void> {
  constructor(
    readonly context: CommandContext,
    readonly contactId: string,
    readonly expectedVersion: number | null,
  ) {
    super();
  }
}
