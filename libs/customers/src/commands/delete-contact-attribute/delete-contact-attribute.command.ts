import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';

export class DeleteContactAttributeCommand extends Command<void> {
  constructor(
    readonly context: CommandContext,
    readonly contactId: string,
    readonly key: string,
  ) {
    super();
  }
}
