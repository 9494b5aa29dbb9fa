import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { CreditsGranted } from '../../billing.context';
import { TenantBilling } from '../../entitlements/tenant-billing.service';
import { BillingRepository } from '../../repositories/billing.repository';
import { GrantCreditsCommand } from './grant-credits.command';

@CommandHandler(GrantCreditsCommand)
export class GrantCreditsHandler implements ICommandHandler<GrantCreditsCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly repository: BillingRepository,
    private readonly billing: TenantBilling,
  ) {}

  async execute({ context, amountCents, reason }: GrantCreditsCommand): Promise<{ grantId: string; balanceCents: number }> {
    const implicit = await this.billing.load(context.tenantId);
    const result = await this.tx.run(context, async (tx) => {
      // The default plan's trial becomes a row when there is none, so the credit has somewhere to live.
      await this.repository.lockOrCreate(tx, { planCode: implicit.plan.code, status: implicit.status, trialEndsAt: implicit.trialEndsAt });
      const granted = await this.repository.grantCredits(tx, amountCents, reason);
      await tx.audit({ action: 'billing.credits_granted', entityType: 'billing_subscription', entityId: context.tenantId, after: { amountCents, reason, balanceCents: granted.balanceCents } });
      await tx.emit(CreditsGranted.of(context.tenantId, { amountCents, reason, balanceCents: granted.balanceCents }));
      return granted;
    });
    await this.billing.changed(context.tenantId);
    return result;
  }
}
