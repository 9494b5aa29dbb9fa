import { randomBytes } from 'node:crypto';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import * as oidc from 'openid-client';
import { sha256 } from '../../domain/secrets';
import { OidcClients } from '../../sso/oidc-clients';
import { SamlClients } from '../../sso/saml-clients';
import { SsoFailure } from '../../sso/sso-failure';
import { SsoRepository } from '../../sso/sso.repository';
import { SsoSecrets } from '../../sso/sso-secrets';
import type { NewRequest, SsoConnection } from '../../sso/sso.sql';
import { SsoUrls } from '../../sso/sso-urls';
import { SsoStartCommand } from './sso-start.command';

/**
 * OIDC: authorization code flow with PKCE (S256), a random state (bound to the browser by the
 * caller's cookie, stored here only as a hash) and a nonce the ID token must carry back.
 * SAML: an AuthnRequest whose id the signed assertion must answer, with the state as RelayState.
 */
@CommandHandler(SsoStartCommand)
export class SsoStartHandler implements ICommandHandler<SsoStartCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly sso: SsoRepository,
    private readonly secrets: SsoSecrets,
    private readonly oidcClients: OidcClients,
    private readonly samlClients: SamlClients,
  ) {}

  async execute({ tenantSlug, origin, client }: SsoStartCommand): Promise<{ redirectUrl: string; state: string; protocol: 'oidc' | 'saml' }> {
    const connection = await this.tx.runAsSystem((m) => this.sso.findBySlug(m, tenantSlug));
    if (!connection || !connection.enabled) throw new SsoFailure('sso-not-configured', null);
    if (connection.tenant.status !== 'active') throw new SsoFailure('tenant-inactive', null);
    const state = oidc.randomState();
    const { redirectUrl, request } = connection.protocol === 'saml' ? await this.saml(connection, origin, state) : await this.oidc(connection, origin, state);
    const context = { tenantId: connection.tenantId, actorId: null, actorType: 'system' as const, correlationId: client.requestId, ip: client.ip, userAgent: client.userAgent };
    await this.tx.run(context, (tx) => this.sso.startRequest(tx, request));
    return { redirectUrl, state, protocol: connection.protocol };
  }

  private async oidc(connection: SsoConnection, origin: string, state: string): Promise<{ redirectUrl: string; request: NewRequest }> {
    const secret = connection.clientSecretSealed ? await this.secrets.open(connection.tenantId, connection.clientSecretSealed) : null;
    let config: oidc.Configuration;
    try {
      config = await this.oidcClients.configuration(connection, secret);
    } catch (error) {
      throw new SsoFailure('idp-unreachable', connection.tenantId, error instanceof Error ? error.message : String(error));
    }
    const nonce = oidc.randomNonce();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: SsoUrls.redirectUriFor(origin),
      scope: 'openid email profile',
      response_type: 'code',
      state,
      nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
    });
    return { redirectUrl: url.href, request: { protocol: 'oidc', stateHash: sha256(state), nonce, codeVerifier } };
  }

  private async saml(connection: SsoConnection, origin: string, state: string): Promise<{ redirectUrl: string; request: NewRequest }> {
    // An xsd:ID must not start with a digit.
    const requestId = `_${randomBytes(20).toString('hex')}`;
    const redirectUrl = await this.samlClients.client(connection, origin, requestId).getAuthorizeUrlAsync(state, undefined, {});
    return { redirectUrl, request: { protocol: 'saml', stateHash: sha256(state), nonce: requestId, codeVerifier: '' } };
  }
}
