import { Command } from '@nestjs/cqrs';

/** Begins a browser sign-in at the tenant's identity provider: where to send the browser, and the state to bind to it. */
export class SsoStartCommand extends Command<{ redirectUrl: string; state: string }> {
  constructor(
    readonly tenantSlug: string,
    /** The callback URL registered at the identity provider. */
    readonly redirectUri: string,
    readonly client: { ip: string | null; userAgent: string | null; requestId: string | null },
  ) {
    super();
  }
}
