import { Command } from '@nestjs/cqrs';
import type { SignInResult } from '../../auth/sign-in-steps';

export class AcceptInvitationCommand extends Command<SignInResult> {
  constructor(
    readonly token: string,
    /** Needed when the invited email has no account yet. */
    readonly name: string | undefined,
    readonly password: string | undefined,
    readonly client: { ip: string | null; userAgent: string | null; requestId: string | null },
  ) {
    super();
  }
}
