import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { sha256 } from '../../domain/secrets';
import { SamlClients, type VerifiedAssertion } from '../../sso/saml-clients';
import { SsoAudit } from '../../sso/sso-audit';
import { SsoFailure } from '../../sso/sso-failure';
import { SsoSignIn } from '../../sso/sso-sign-in';
import { SsoRepository } from '../../sso/sso.repository';
import { SsoUrls } from '../../sso/sso-urls';
import { SsoCompleteSamlCommand } from './sso-complete-saml.command';

const EMAIL_ATTRIBUTES = ['email', 'mail', 'urn:oid:0.9.2342.19200300.100.1.3', 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress'];

/**
 * Checks, in order: RelayState equals the browser's state cookie; it names a fresh, unused SAML
 * request (consumed here); the response holds exactly one assertion, signed by the IdP's key
 * (node-saml: signature over the assertion actually read, so a wrapped copy is refused), from the
 * IdP's entity id (the envelope's Issuer, and the signed assertion's own), for this tenant's SP
 * entity id, within its time window; its
 * SubjectConfirmationData names our ACS as Recipient and our AuthnRequest in InResponseTo; its ID
 * was never used before. Then the email (an attribute, or the NameID) goes through SsoSignIn.
 */
@CommandHandler(SsoCompleteSamlCommand)
export class SsoCompleteSamlHandler implements ICommandHandler<SsoCompleteSamlCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly sso: SsoRepository,
    private readonly saml: SamlClients,
    private readonly signIn: SsoSignIn,
    private readonly audit: SsoAudit,
  ) {}

  async execute(command: SsoCompleteSamlCommand): Promise<{ code: string }> {
    try {
      return await this.complete(command);
    } catch (error) {
      if (error instanceof SsoFailure) await this.audit.failed(error, command.client);
      throw error;
    }
  }

  private async complete({ samlResponse, relayState, browserState, origin, client }: SsoCompleteSamlCommand): Promise<{ code: string }> {
    if (!relayState || !browserState || relayState.length > 200 || relayState !== browserState) throw new SsoFailure('state-mismatch', null);
    const request = await this.tx.runAsSystem((m) => this.sso.consumeRequest(m, 'saml', sha256(relayState)));
    if (!request) throw new SsoFailure('state-invalid', null);
    const connection = await this.tx.runAsSystem((m) => this.sso.findForTenant(m, request.tenantId));
    if (!connection || !connection.enabled || connection.protocol !== 'saml') throw new SsoFailure('sso-not-configured', request.tenantId);
    if (connection.tenant.status !== 'active') throw new SsoFailure('tenant-inactive', request.tenantId);
    if (!samlResponse) throw new SsoFailure('assertion-invalid', request.tenantId, 'no SAMLResponse');

    let assertion: VerifiedAssertion;
    try {
      assertion = await this.saml.verify(connection, origin, samlResponse);
    } catch (error) {
      throw new SsoFailure('assertion-invalid', connection.tenantId, error instanceof Error ? error.message : String(error));
    }
    const context = { tenantId: connection.tenantId, actorId: null, actorType: 'system' as const, correlationId: client.requestId, ip: client.ip, userAgent: client.userAgent };
    // Committed on its own, before anything can fail: a replay is refused even if this attempt fails later.
    const fresh = await this.tx.run(context, (tx) => this.sso.recordSamlAssertion(tx, assertion.id.slice(0, 500), assertion.notOnOrAfter));
    if (!fresh) throw new SsoFailure('assertion-replayed', connection.tenantId, `assertion ${assertion.id.slice(0, 100)}`);
    if (assertion.issuer !== connection.issuer) throw new SsoFailure('assertion-invalid', connection.tenantId, `Issuer ${String(assertion.issuer).slice(0, 200)} is not the IdP's entity id`);
    if (assertion.recipient !== SsoUrls.acsUrlFor(origin)) throw new SsoFailure('assertion-invalid', connection.tenantId, `Recipient ${String(assertion.recipient).slice(0, 200)} is not this ACS`);
    if (assertion.inResponseTo !== request.nonce) throw new SsoFailure('assertion-invalid', connection.tenantId, 'InResponseTo does not answer this sign-in’s request');

    const profile = assertion.profile;
    const attribute = EMAIL_ATTRIBUTES.map((name) => profile[name]).find((v) => typeof v === 'string' || Array.isArray(v));
    const email = (Array.isArray(attribute) ? attribute[0] : attribute) ?? (/emailAddress$/.test(profile.nameIDFormat ?? '') ? profile.nameID : undefined);
    return this.signIn.finish(connection, this.signIn.emailOf(connection, email), client);
  }
}
