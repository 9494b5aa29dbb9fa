import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ProblemException, TenantTransaction } from '@switchboard/platform';
import { TwoFactorRepository } from '../../repositories/two-factor.repository';
import { SetTwoFactorRequirementCommand } from './set-two-factor-requirement.command';

/**
 * Members without a factor are not signed out: their next sign-in leads them to enrol (ADR 0032).
 * The owner who turns it on must have a factor, so nobody locks the tenant with a rule they skip.
 */
@CommandHandler(SetTwoFactorRequirementCommand)
export class SetTwoFactorRequirementHandler implements ICommandHandler<SetTwoFactorRequirementCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly factors: TwoFactorRepository,
  ) {}

  async execute({ context, actorRole, required }: SetTwoFactorRequirementCommand): Promise<{ requireTwoFactor: boolean }> {
    if (actorRole !== 'owner') {
      throw new ProblemException({ status: 403, type: 'forbidden', title: 'Forbidden', detail: 'Only an owner can change the tenant’s two-factor requirement.' });
    }
    await this.tx.run(context, async (tx) => {
      if (required) {
        const own = await this.factors.summary(tx.manager, context.actorId!);
        if (!own.totp && own.webauthn === 0) {
          throw new ProblemException({
            status: 409,
            type: 'two-factor-not-enabled',
            title: 'Conflict',
            detail: 'Set up two-factor authentication for your own account before requiring it of every member.',
          });
        }
      }
      const before = await this.factors.setTenantRequires(tx.manager, context.tenantId, required);
      if (before !== required) {
        await tx.audit({ action: 'tenant.two_factor_requirement_changed', entityType: 'tenant', entityId: context.tenantId, before: { requireTwoFactor: before }, after: { requireTwoFactor: required } });
      }
    });
    return { requireTwoFactor: required };
  }
}
