import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';

export class ChangeGroupMembershipCommand extends Command<{ changed: boolean }> {
  constructor(
    readonly context: CommandContext,
    readonly groupId: string,
    readonly userId: string,
    readonly action: 'add' | 'remove',
  ) {
    super();
  }
}
