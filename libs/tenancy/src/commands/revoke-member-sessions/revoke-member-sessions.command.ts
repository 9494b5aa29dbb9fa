import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';

/** An owner signs a member out of this tenant everywhere. */
export class RevokeMemberSessionsCommand extends Command<{ revoked: number }> {
  constructor(
    readonly context: CommandContext,
    readonly actorRole: string | undefined,
    readonly membershipId: string,
  ) {
    super();
  }
}
