import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import * as oidc from 'openid-client';
import { normaliseEmail } from '../../domain/email';
import { randomToken, sha256 } from '../../domain/secrets';
import { MembersRepository } from '../../repositories/members.repository';
import { UsersRepository } from '../../repositories/users.repository';
import { OidcClients } from '../../sso/oidc-clients';
import { SsoAudit } from '../../sso/sso-audit';
import { SsoFailure } from '../../sso/sso-failure';
import { SsoRepository } from '../../sso/sso.repository';
import { SsoSecrets } from '../../sso/sso-secrets';
import type { PendingRequest, SsoConnection } from '../../sso/sso.sql';
import { MemberAdded } from '../../tenancy.context';
import { SsoCompleteOidcCommand } from './sso-complete-oidc.command';

const domainOf = (email: string) => email.slice(email.lastIndexOf('@') + 1);

/**
 * Checks, in order: the browser's state cookie matches the callback's state; the state names a
 * fresh, unused request (consumed here, so a callback cannot be replayed); the code exchange with
 * the PKCE verifier succeeds; the ID token is signed by the issuer's keys, for this client, not
 * expired, with the request's nonce; the email is verified and in one of the tenant's domains.
 * Then the member is found or (just in time) created, and a one-time code is issued. Every
 * failure after the tenant is known is audited there.
 */
@CommandHandler(SsoCompleteOidcCommand)
export class SsoCompleteOidcHandler implements ICommandHandler<SsoCompleteOidcCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly sso: SsoRepository,
    private readonly secrets: SsoSecrets,
    private readonly clients: OidcClients,
    private readonly users: UsersRepository,
    private readonly members: MembersRepository,
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
    const request = await this.tx.runAsSystem((m) => this.sso.consumeRequest(m, sha256(state)));
    if (!request) throw new SsoFailure('state-invalid', null);
    const connection = await this.tx.runAsSystem((m) => this.sso.findForTenant(m, request.tenantId));
    if (!connection || !connection.enabled) throw new SsoFailure('sso-not-configured', request.tenantId);
    if (connection.tenant.status !== 'active') throw new SsoFailure('tenant-inactive', request.tenantId);
    const idpError = url.searchParams.get('error');
    if (idpError) throw new SsoFailure('idp-error', request.tenantId, `${idpError}: ${(url.searchParams.get('error_description') ?? '').slice(0, 300)}`);

    const email = await this.verifiedEmail(connection, request, url, state);
    const context = { tenantId: connection.tenantId, actorId: null, actorType: 'system' as const, correlationId: client.requestId, ip: client.ip, userAgent: client.userAgent };
    const code = randomToken(32);
    await this.tx.runPrivileged(context, async (tx) => {
      const existing = await this.users.findCredentials(tx.manager, email);
      let userId = existing?.id;
      const role = userId ? await this.members.roleOf(tx, userId) : undefined;
      if (!role) {
        if (!connection.jitProvisioning) throw new SsoFailure('not-a-member', connection.tenantId, `${email} is not a member`);
        userId ??= await this.users.upsert(tx, { email, name: email.slice(0, email.indexOf('@')).slice(0, 200) || email, passwordHash: null });
        const membershipId = await this.members.addIfAbsent(tx, userId, connection.defaultRole);
        if (membershipId) {
          const after = { userId, email, role: connection.defaultRole, provisionedBy: 'sso' };
          await tx.audit({ action: 'member.added', entityType: 'membership', entityId: membershipId, after });
          await tx.emit(MemberAdded.of(membershipId, { userId, role: connection.defaultRole }));
        }
      }
      await this.sso.issueLoginCode(tx, sha256(code), userId!);
      await tx.audit({ action: 'auth.sso_login', entityType: 'user', entityId: userId!, after: { email, issuer: connection.issuer } });
    });
    return { code };
  }

  private async verifiedEmail(connection: SsoConnection, request: PendingRequest, url: URL, state: string): Promise<string> {
    const secret = connection.clientSecretSealed ? await this.secrets.open(connection.tenantId, connection.clientSecretSealed) : null;
    let config: oidc.Configuration;
    try {
      config = await this.clients.configuration(connection, secret);
    } catch (error) {
      throw new SsoFailure('idp-unreachable', connection.tenantId, error instanceof Error ? error.message : String(error));
    }
    let claims: Record<string, unknown>;
    try {
      const tokens = await oidc.authorizationCodeGrant(config, url, {
        pkceCodeVerifier: request.codeVerifier,
        expectedState: state,
        expectedNonce: request.nonce,
        idTokenExpected: true,
      });
      const idToken = tokens.claims();
      if (!idToken) throw new Error('no ID token');
      claims = idToken;
      // Providers that keep profile claims out of the ID token (as the spec allows) serve them at userinfo, for the same subject.
      if (claims['email'] === undefined) claims = { ...(await oidc.fetchUserInfo(config, tokens.access_token, idToken.sub)), sub: idToken.sub };
    } catch (error) {
      throw new SsoFailure('token-invalid', connection.tenantId, error instanceof Error ? `${error.name}: ${error.message}` : String(error));
    }
    const raw = claims['email'];
    if (typeof raw !== 'string' || !/^[^\s@]{1,64}@[^\s@]{1,253}$/.test(raw.trim())) throw new SsoFailure('email-missing', connection.tenantId);
    const email = normaliseEmail(raw);
    if (claims['email_verified'] !== true) throw new SsoFailure('email-unverified', connection.tenantId, `${email}: email_verified is ${JSON.stringify(claims['email_verified'] ?? null)}`);
    if (!connection.domains.includes(domainOf(email))) throw new SsoFailure('email-domain-not-allowed', connection.tenantId, `${email} is outside ${connection.domains.join(', ')}`);
    return email;
  }
}
