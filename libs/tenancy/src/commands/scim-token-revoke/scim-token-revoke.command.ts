import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';

export class ScimTokenRevokeCommand extends Command<void> {
  constructor(readonly context: CommandContext) {
    super();
  }
}
