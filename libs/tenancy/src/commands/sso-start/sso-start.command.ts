import { Command } from '@nestjs/cqrs';

/** Begins a browser sign-in at the tenant's identity provider: where to send the browser, and the state to bind to it. */
export class SsoStartCommand extends Command<{ redirectUrl: string; state: string; protocol: 'oidc' | 'saml' }> {
  constructor(
    readonly tenantSlug: string,
    /** The api's public origin (callback, ACS and entity id are built from it). */
    readonly origin: string,
    readonly client: { ip: string | null; userAgent: string | null; requestId: string | null },
  ) {
    super();
  }
}
