import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import * as oidc from 'openid-client';
import { sha256 } from '../../domain/secrets';
import { OidcClients } from '../../sso/oidc-clients';
import { SsoAudit } from '../../sso/sso-audit';
import { SsoFailure } from '../../sso/sso-failure';
import { SsoSignIn } from '../../sso/sso-sign-in';
import { SsoRepository } from '../../sso/sso.repository';
import { SsoSecrets } from '../../sso/sso-secrets';
import type { PendingRequest, SsoConnection } from '../../sso/sso.sql';
import { SsoCompleteOidcCommand } from './sso-complete-oidc.command';

/**
 * Checks, in order: the browser's state cookie matches the callback's state; the state names a
 * fresh, unused OIDC request (consumed here, so a callback cannot be replayed); the code exchange
 * with the PKCE verifier succeeds; the ID token is signed by the issuer's keys, for this client,
 * not expired, with the request's nonce; the email is verified and in one of the tenant's
 * domains. Then SsoSignIn finds or creates the member and issues the one-time code. Every failure
 * after the tenant is known is audited there.
 */
@CommandHandler(SsoCompleteOidcCommand)
export class SsoCompleteOidcHandler implements ICommandHandler<SsoCompleteOidcCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly sso: SsoRepository,
    private readonly secrets: SsoSecrets,
    private readonly clients: OidcClients,
    private readonly signIn: SsoSignIn,
    private readonly audit: SsoAudit,
  ) {}

  async execute(command: SsoCompleteOidcCommand): Promise<{ code: string }> {
    try {
      return await this.complete(command);
    } catch (error) {
      if (error instanceof SsoFailure) await this.audit.failed(error, command.client);
      throw error;
    }
  }

  private async complete({ callbackUrl, browserState, client }: SsoCompleteOidcCommand): Promise<{ code: string }> {
    const url = new URL(callbackUrl);
    const state = url.searchParams.get('state');
    if (!state || !browserState || state.length > 200 || state !== browserState) throw new SsoFailure('state-mismatch', null);
    const request = await this.tx.runAsSystem((m) => this.sso.consumeRequest(m, 'oidc', sha256(state)));
    if (!request) throw new SsoFailure('state-invalid', null);
    const connection = await this.tx.runAsSystem((m) => this.sso.findForTenant(m, request.tenantId));
    if (!connection || !connection.enabled || connection.protocol !== 'oidc') throw new SsoFailure('sso-not-configured', request.tenantId);
    if (connection.tenant.status !== 'active') throw new SsoFailure('tenant-inactive', request.tenantId);
    const idpError = url.searchParams.get('error');
    if (idpError) throw new SsoFailure('idp-error', request.tenantId, `${idpError}: ${(url.searchParams.get('error_description') ?? '').slice(0, 300)}`);
    const claims = await this.verifiedClaims(connection, request, url, state);
    const email = this.signIn.emailOf(connection, claims['email']);
    if (claims['email_verified'] !== true) throw new SsoFailure('email-unverified', connection.tenantId, `${email}: email_verified is ${JSON.stringify(claims['email_verified'] ?? null)}`);
    return this.signIn.finish(connection, email, client);
  }

  private async verifiedClaims(connection: SsoConnection, request: PendingRequest, url: URL, state: string): Promise<Record<string, unknown>> {
    const secret = connection.clientSecretSealed ? await this.secrets.open(connection.tenantId, connection.clientSecretSealed) : null;
    let config: oidc.Configuration;
    try {
      config = await this.clients.configuration(connection, secret);
    } catch (error) {
      throw new SsoFailure('idp-unreachable', connection.tenantId, error instanceof Error ? error.message : String(error));
    }
    try {
      const tokens = await oidc.authorizationCodeGrant(config, url, {
        pkceCodeVerifier: request.codeVerifier,
        expectedState: state,
        expectedNonce: request.nonce,
        idTokenExpected: true,
      });
      const idToken = tokens.claims();
      if (!idToken) throw new Error('no ID token');
      // Providers that keep profile claims out of the ID token (as the spec allows) serve them at userinfo, for the same subject.
      if (idToken['email'] === undefined) return { ...(await oidc.fetchUserInfo(config, tokens.access_token, idToken.sub)), sub: idToken.sub };
      return idToken;
    } catch (error) {
      throw new SsoFailure('token-invalid', connection.tenantId, error instanceof Error ? `${error.name}: ${error.message}` : String(error));
    }
  }
}
