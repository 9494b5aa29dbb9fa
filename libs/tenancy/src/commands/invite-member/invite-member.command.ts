import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { Role } from '../../domain/roles';
import type { InvitationView } from '../../repositories/invitations.sql';

export class InviteMemberCommand extends Command<InvitationView> {
  constructor(
    readonly context: CommandContext,
    readonly actorRole: string | undefined,
    readonly email: string,
    readonly role: Role,
  ) {
    super();
  }
}
