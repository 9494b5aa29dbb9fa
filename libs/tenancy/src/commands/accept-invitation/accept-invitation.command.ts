import { Command } from '@nestjs/cqrs';
import type { Session } from '../../auth/session-issuer';

export class AcceptInvitationCommand extends Command<Session> {
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
