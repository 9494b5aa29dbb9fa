import { Command } from '@nestjs/cqrs';
import type { SignInResult } from '../../auth/sign-in-steps';

export class LoginCommand extends Command<SignInResult> {
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
