import { Inject, Injectable } from '@nestjs/common';
import type { SwitchboardRequest } from '@switchboard/platform';
import { tenancyConfig, type TenancyConfig } from '../tenancy.context';

/** The public addresses identity providers and browsers are sent to: SSO_PUBLIC_URL, or the request's own origin. */
@Injectable()
export class SsoUrls {
  constructor(@Inject(tenancyConfig.token) private readonly config: TenancyConfig) {}

  origin(req: SwitchboardRequest): string {
    if (this.config.SSO_PUBLIC_URL) return this.config.SSO_PUBLIC_URL.replace(/\/+$/, '');
    return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
  }

  secure(req: SwitchboardRequest): boolean {
    return this.origin(req).startsWith('https://');
  }

  redirectUri(req: SwitchboardRequest): string {
    return SsoUrls.redirectUriFor(this.origin(req));
  }

  static redirectUriFor(origin: string): string {
    return `${origin}/v1/auth/sso/oidc/callback`;
  }

  /** SAML: the assertion consumer service (HTTP-POST binding), one for every tenant. */
  static acsUrlFor(origin: string): string {
    return `${origin}/v1/auth/sso/saml/acs`;
  }

  /** SAML: this service provider's entity id for a tenant (the audience its assertions must name); its metadata is served there. */
  static spEntityIdFor(origin: string, slug: string): string {
    return `${origin}/v1/auth/sso/${encodeURIComponent(slug)}/saml/metadata`;
  }

  consoleUrl(req: SwitchboardRequest): string {
    return `${this.origin(req)}/console`;
  }

  startPath(slug: string): string {
    return `/v1/auth/sso/${encodeURIComponent(slug)}/start`;
  }

  scimBase(req: SwitchboardRequest): string {
    return `${this.origin(req)}/v1/scim/v2`;
  }
}
