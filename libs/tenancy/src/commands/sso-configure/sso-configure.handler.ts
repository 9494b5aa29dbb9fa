import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ProblemException, TenantTransaction } from '@switchboard/platform';
import { MembersRepository } from '../../repositories/members.repository';
import { SsoRepository } from '../../sso/sso.repository';
import { SsoSecrets } from '../../sso/sso-secrets';
import { toConnectionView, type SsoConnectionView } from '../../sso/sso.sql';
import { tenancyConfig, type TenancyConfig } from '../../tenancy.context';
import { SsoConfigureCommand } from './sso-configure.command';

const isUniqueViolation = (error: unknown) => typeof error === 'object' && error !== null && (error as { code?: string }).code === '23505';

/** What the audit log shows of the settings: everything but the secret, which appears only as "changed". */
const snapshot = (v: SsoConnectionView | undefined) =>
  v && { enabled: v.enabled, issuer: v.issuer, clientId: v.clientId, domains: v.domains, jitProvisioning: v.jitProvisioning, defaultRole: v.defaultRole, ssoOnly: v.ssoOnly, breakGlassUserId: v.breakGlassUserId };

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
    if (!input.issuer.startsWith('https://') && !this.config.SSO_ALLOW_PRIVATE_ISSUERS) {
      throw new ProblemException({
        status: 422,
        type: 'validation-failed',
        title: 'Unprocessable Entity',
        detail: 'The issuer must be an https URL.',
        errors: [{ field: 'issuer', message: 'must use https' }],
      });
    }
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
            enabled: input.enabled,
            issuer: input.issuer,
            clientId: input.clientId,
            clientSecretSealed: sealed,
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
}
