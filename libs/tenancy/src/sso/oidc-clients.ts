import { Inject, Injectable } from '@nestjs/common';
import { createSafeFetch } from '@switchboard/platform';
import * as oidc from 'openid-client';
import { tenancyConfig, type TenancyConfig } from '../tenancy.context';
import type { SsoConnection } from './sso.sql';

const CACHE_MS = 5 * 60_000;

/**
 * openid-client configurations per tenant connection, discovered from the issuer and kept for a
 * few minutes (keyed by the connection's version, so a settings change applies at once). ID token
 * signatures are always checked against the provider's JWKS (`enableNonRepudiationChecks`), also
 * when the token came straight from the token endpoint. Calls go through the outbound policy: no
 * private addresses, no redirects, bounded time and size.
 */
@Injectable()
export class OidcClients {
  private readonly fetch: typeof fetch;
  private readonly cache = new Map<string, { at: number; config: Promise<oidc.Configuration> }>();

  constructor(@Inject(tenancyConfig.token) private readonly settings: TenancyConfig) {
    this.fetch = createSafeFetch({ allowPrivate: settings.SSO_ALLOW_PRIVATE_ISSUERS, timeoutMs: 10_000, maxResponseBytes: 1024 * 1024 });
  }

  configuration(connection: SsoConnection, clientSecret: string | null): Promise<oidc.Configuration> {
    const key = `${connection.tenantId}:${connection.version}`;
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.config;
    const config = this.discover(connection, clientSecret);
    this.cache.set(key, { at: Date.now(), config });
    config.catch(() => this.cache.delete(key));
    return config;
  }

  private async discover(connection: SsoConnection, clientSecret: string | null): Promise<oidc.Configuration> {
    const execute = [oidc.enableNonRepudiationChecks, ...(this.settings.SSO_ALLOW_PRIVATE_ISSUERS ? [oidc.allowInsecureRequests] : [])];
    const auth = clientSecret ? oidc.ClientSecretBasic(clientSecret) : oidc.None();
    if (!connection.clientId) throw new Error('The OIDC connection has no client id');
    return oidc.discovery(new URL(connection.issuer), connection.clientId, { id_token_signed_response_alg: 'RS256' }, auth, {
      execute,
      timeout: 10,
      [oidc.customFetch]: (url, options) => this.fetch(url, options as RequestInit),
    });
  }
}
