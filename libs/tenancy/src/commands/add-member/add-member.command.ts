import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { Role } from '../../domain/roles';

export interface AddMemberInput {
  email: string;
  name: string;
  /** Used only when the user is new; an existing user keeps their password. */
  password: string;
  role: Role;
}

/** Adds a user (new or existing) to a tenant directly; used by provisioning and the demo seed. */
export class AddMemberCommand extends Command<{ membershipId: string; userId: string }> {
  constructor(
    readonly context: CommandContext,
    readonly input: AddMemberInput,
  ) {
    super();
  }
}
