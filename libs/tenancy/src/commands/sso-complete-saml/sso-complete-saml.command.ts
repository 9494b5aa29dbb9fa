import { Command } from '@nestjs/cqrs';
import type { SsoClient } from '../../sso/sso-audit';

/** The identity provider posted a SAML response to the ACS: verify it, then hand out a one-time code for the console. */
export class SsoCompleteSamlCommand extends Command<{ code: string }> {
  constructor(
    readonly samlResponse: string | null,
    readonly relayState: string | null,
    /** The state the browser's cookie holds (set when the sign-in started), or null. */
    readonly browserState: string | null,
    readonly origin: string,
    readonly client: SsoClient,
  ) {
    super();
  }
}
