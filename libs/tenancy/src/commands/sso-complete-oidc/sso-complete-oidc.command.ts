import { Command } from '@nestjs/cqrs';
import type { SsoClient } from '../../sso/sso-audit';

/** The identity provider sent the browser back: verify everything, then hand out a one-time code for the console. */
export class SsoCompleteOidcCommand extends Command<{ code: string }> {
  constructor(
    /** The full callback URL as the browser requested it (code, state, iss, or error). */
    readonly callbackUrl: string,
    /** The state the browser's cookie holds (set when the sign-in started), or null. */
    readonly browserState: string | null,
    readonly client: SsoClient,
  ) {
    super();
  }
}
