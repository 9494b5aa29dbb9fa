import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { GroupView } from '../../repositories/groups.sql';
import type { GroupInput } from '../create-group/create-group.command';

export class UpdateGroupCommand extends Command<GroupView> {
  constructor(
    readonly context: CommandContext,
    readonly groupId: string,
    readonly changes: Partial<GroupInput>,
    /** null is `If-Match: *` or no header: any current version. */
    readonly expectedVersion: number | null,
  ) {
    super();
  }
}
