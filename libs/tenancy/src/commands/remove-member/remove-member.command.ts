import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';

export class RemoveMemberCommand extends Command<void> {
  constructor(
    readonly context: CommandContext,
    readonly actorRole: string | undefined,
    readonly membershipId: string,
  ) {
    super();
  }
}
