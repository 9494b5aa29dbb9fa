import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { Role } from '../../domain/roles';
import type { MemberView } from '../../repositories/members.sql';

export class ChangeMemberRoleCommand extends Command<MemberView> {
  constructor(
    readonly context: CommandContext,
    readonly actorRole: string | undefined,
    readonly membershipId: string,
    readonly role: Role,
  ) {
    super();
  }
}
