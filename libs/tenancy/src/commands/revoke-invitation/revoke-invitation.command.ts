import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';

export class RevokeInvitationCommand extends Command<void> {
  constructor(
    readonly context: CommandContext,
    readonly invitationId: string,
  ) {
    super();
  }
}
