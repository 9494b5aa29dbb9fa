import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import * as oidc from 'openid-client';
import { sha256 } from '../../domain/secrets';
import { OidcClients } from '../../sso/oidc-clients';
import { SsoFailure } from '../../sso/sso-failure';
import { SsoRepository } from '../../sso/sso.repository';
import { SsoSecrets } from '../../sso/sso-secrets';
import { SsoStartCommand } from './sso-start.command';

/**
 * Authorization code flow with PKCE (S256), a random state (bound to the browser by the caller's
 * cookie, stored here only as a hash) and a nonce the ID token must carry back.
 */
@CommandHandler(SsoStartCommand)
export class SsoStartHandler implements ICommandHandler<SsoStartCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly sso: SsoRepository,
    private readonly secrets: SsoSecrets,
    private readonly clients: OidcClients,
  ) {}

  async execute({ tenantSlug, redirectUri, client }: SsoStartCommand): Promise<{ redirectUrl: string; state: string }> {
    const connection = await this.tx.runAsSystem((m) => this.sso.findBySlug(m, tenantSlug));
    if (!connection || !connection.enabled) throw new SsoFailure('sso-not-configured', null);
    if (connection.tenant.status !== 'active') throw new SsoFailure('tenant-inactive', null);
    const secret = connection.clientSecretSealed ? await this.secrets.open(connection.tenantId, connection.clientSecretSealed) : null;
    let config: oidc.Configuration;
    try {
      config = await this.clients.configuration(connection, secret);
    } catch (error) {
      throw new SsoFailure('idp-unreachable', connection.tenantId, error instanceof Error ? error.message : String(error));
    }
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const context = { tenantId: connection.tenantId, actorId: null, actorType: 'system' as const, correlationId: client.requestId, ip: client.ip, userAgent: client.userAgent };
    await this.tx.run(context, (tx) => this.sso.startRequest(tx, { stateHash: sha256(state), nonce, codeVerifier }));
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid email profile',
      response_type: 'code',
      state,
      nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
    });
    return { redirectUrl: url.href, state };
  }
}
