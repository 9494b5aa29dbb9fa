import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { Role } from '../../domain/roles';
import type { SsoConnectionView } from '../../sso/sso.sql';

export interface SsoSettingsInput {
  protocol: 'oidc' | 'saml';
  enabled: boolean;
  /** OIDC: the issuer URL; SAML: the IdP's entity id. */
  issuer: string;
  /** OIDC only (required there). */
  clientId: string | null;
  /** SAML only (required there): the IdP's SSO URL (HTTP-Redirect binding) and signing certificate or public key (PEM). */
  samlEntryPoint: string | null;
  samlIdpCert: string | null;
  /** undefined: keep the stored secret; null: clear it (a public client). */
  clientSecret?: string | null;
  domains: string[];
  jitProvisioning: boolean;
  defaultRole: Exclude<Role, 'owner'>;
  ssoOnly: boolean;
  breakGlassUserId: string | null;
}

export class SsoConfigureCommand extends Command<SsoConnectionView> {
  constructor(
    readonly context: CommandContext,
    readonly input: SsoSettingsInput,
    /** The version the caller last read (If-Match), or undefined. */
    readonly expectedVersion: number | undefined,
  ) {
    super();
  }
}
