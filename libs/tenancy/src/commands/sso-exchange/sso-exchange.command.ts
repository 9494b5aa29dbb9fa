import { Command } from '@nestjs/cqrs';
import type { Session } from '../../auth/session-issuer';
import type { SsoClient } from '../../sso/sso-audit';

/** The console trades the one-time code from `/console#sso=<code>` for the usual session. */
export class SsoExchangeCommand extends Command<Session> {
  constructor(
    readonly code: string,
    readonly client: SsoClient,
  ) {
    super();
  }
}
