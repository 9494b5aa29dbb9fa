import { Command } from '@nestjs/cqrs';
import type { Session } from '../../auth/session-issuer';

export class LoginCommand extends Command<Session> {
  constructor(
    readonly email: string,
    readonly password: string,
    /** Slug of the tenant to sign in to; needed only when the user belongs to several. */
    readonly tenantSlug: string | undefined,
    readonly client: { ip: string | null; userAgent: string | null; requestId: string | null },
  ) {
    super();
  }
}
