import { createPublicKey, X509Certificate } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ProblemException, TenantTransaction } from '@switchboard/platform';
import { MembersRepository } from '../../repositories/members.repository';
import { SsoRepository } from '../../sso/sso.repository';
import { SsoSecrets } from '../../sso/sso-secrets';
import { toConnectionView, type SsoConnectionView } from '../../sso/sso.sql';
import { tenancyConfig, type TenancyConfig } from '../../tenancy.context';
import { SsoConfigureCommand, type SsoSettingsInput } from './sso-configure.command';

const isUniqueViolation = (error: unknown) => typeof error === 'object' && error !== null && (error as { code?: string }).code === '23505';

/** What the audit log shows of the settings: everything but the secret, which appears only as "changed". */
const snapshot = (v: SsoConnectionView | undefined) =>
  v && { protocol: v.protocol, enabled: v.enabled, issuer: v.issuer, clientId: v.clientId, samlEntryPoint: v.samlEntryPoint, domains: v.domains, jitProvisioning: v.jitProvisioning, defaultRole: v.defaultRole, ssoOnly: v.ssoOnly, breakGlassUserId: v.breakGlassUserId };

/**
 * Creates or replaces the tenant's identity provider. The break-glass account must be an owner
 * (it is the way in when the IdP is down and passwords are otherwise refused); a domain another
 * tenant claims is a 409.
 */
@CommandHandler(SsoConfigureCommand)
export class SsoConfigureHandler implements ICommandHandler<SsoConfigureCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly sso: SsoRepository,
    private readonly members: MembersRepository,
    private readonly secrets: SsoSecrets,
    @Inject(tenancyConfig.token) private readonly config: TenancyConfig,
  ) {}

  async execute({ context, input, expectedVersion }: SsoConfigureCommand): Promise<SsoConnectionView> {
    this.validate(input);
    const sealed = input.clientSecret ? await this.secrets.seal(context.tenantId, input.clientSecret) : input.clientSecret;
    try {
      return await this.tx.run(context, async (tx) => {
        const before = await this.sso.find(tx, true);
        if (expectedVersion !== undefined && before?.version !== expectedVersion) {
          throw new ProblemException({ status: 412, type: 'precondition-failed', title: 'Precondition Failed', detail: 'The SSO settings changed since you read them; read them again.' });
        }
        if (input.breakGlassUserId && (await this.members.roleOf(tx, input.breakGlassUserId)) !== 'owner') {
          throw new ProblemException({
            status: 422,
            type: 'validation-failed',
            title: 'Unprocessable Entity',
            detail: 'The break-glass account must be an owner of this tenant.',
            errors: [{ field: 'breakGlassUserId', message: 'is not an owner of this tenant' }],
          });
        }
        await this.sso.save(
          tx,
          {
            protocol: input.protocol,
            enabled: input.enabled,
            issuer: input.issuer,
            clientId: input.protocol === 'oidc' ? input.clientId : null,
            // Switching to SAML drops the OIDC secret; the SAML fields are kept only for SAML.
            clientSecretSealed: input.protocol === 'saml' ? null : sealed,
            samlEntryPoint: input.protocol === 'saml' ? input.samlEntryPoint : null,
            samlIdpCert: input.protocol === 'saml' ? input.samlIdpCert : null,
            jitProvisioning: input.jitProvisioning,
            defaultRole: input.defaultRole,
            ssoOnly: input.ssoOnly,
            breakGlassUserId: input.breakGlassUserId,
          },
          [...new Set(input.domains)].sort(),
        );
        const after = toConnectionView((await this.sso.find(tx))!);
        await tx.audit({
          action: before ? 'sso.updated' : 'sso.configured',
          entityType: 'sso_connection',
          entityId: context.tenantId,
          before: snapshot(before),
          after: { ...snapshot(after), ...(input.clientSecret !== undefined ? { clientSecret: input.clientSecret === null ? 'cleared' : 'changed' } : {}) },
        });
        return after;
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ProblemException({
          status: 409,
          type: 'sso-domain-taken',
          title: 'Conflict',
          detail: 'One of these domains is already claimed by another tenant’s single sign-on.',
          errors: [{ field: 'domains', message: 'contains a domain claimed elsewhere' }],
        });
      }
      throw error;
    }
  }

  /** What the DTO cannot check: fields required by the protocol, https unless private issuers are allowed, a usable IdP key. */
  private validate(input: SsoSettingsInput): void {
    const errors: { field: string; message: string }[] = [];
    const secureEnough = (url: string) => url.startsWith('https://') || (this.config.SSO_ALLOW_PRIVATE_ISSUERS && url.startsWith('http://'));
    if (input.protocol === 'oidc') {
      if (!/^https?:\/\/\S+$/.test(input.issuer) || !secureEnough(input.issuer)) errors.push({ field: 'issuer', message: 'must be an https URL' });
      if (!input.clientId) errors.push({ field: 'clientId', message: 'is required for OpenID Connect' });
    } else {
      if (!input.samlEntryPoint || !secureEnough(input.samlEntryPoint)) errors.push({ field: 'samlEntryPoint', message: 'is required for SAML and must be an https URL' });
      if (!input.samlIdpCert) errors.push({ field: 'samlIdpCert', message: 'is required for SAML' });
      else {
        try {
          createPublicKey(input.samlIdpCert.includes('CERTIFICATE') ? new X509Certificate(input.samlIdpCert).publicKey.export({ type: 'spki', format: 'pem' }) : input.samlIdpCert);
        } catch {
          errors.push({ field: 'samlIdpCert', message: 'must be a PEM certificate or public key' });
        }
      }
      if (input.clientSecret) errors.push({ field: 'clientSecret', message: 'is for OpenID Connect only' });
    }
    if (errors.length > 0) {
      throw new ProblemException({ status: 422, type: 'validation-failed', title: 'Unprocessable Entity', detail: errors.map((e) => `${e.field}: ${e.message}`).join('; ') + '.', errors });
    }
  }
}
