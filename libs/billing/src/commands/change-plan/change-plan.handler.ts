import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { SubscriptionChanged } from '../../billing.context';
import { lapsedSince } from '../../domain/lapse';
import type { SubscriptionView } from '../../domain/plans';
import { TenantBilling } from '../../entitlements/tenant-billing.service';
import { BillingRepository } from '../../repositories/billing.repository';
import { ChangePlanCommand } from './change-plan.command';

@CommandHandler(ChangePlanCommand)
export class ChangePlanHandler implements ICommandHandler<ChangePlanCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly repository: BillingRepository,
    private readonly billing: TenantBilling,
  ) {}

  async execute({ context, plan, status }: ChangePlanCommand): Promise<SubscriptionView> {
    const implicit = await this.billing.load(context.tenantId);
    const after = await this.tx.run(context, async (tx) => {
      const { stored: before, created } = await this.repository.lockOrCreate(tx, { planCode: implicit.plan.code, status: implicit.status, trialEndsAt: implicit.trialEndsAt });
      // A tenant on the implicit trial that an operator moves without naming a status is now active.
      const nextStatus = status ?? (created ? 'active' : before.status);
      const saved = await this.repository.save(tx, {
        planCode: plan,
        status: nextStatus,
        stripeCustomerId: before.stripeCustomerId,
        stripeSubscriptionId: before.stripeSubscriptionId,
        trialEndsAt: before.trialEndsAt,
        currentPeriodStart: before.currentPeriodStart,
        currentPeriodEnd: before.currentPeriodEnd,
        lapsedAt: lapsedSince(nextStatus, before, new Date()),
        stripeStateAt: before.stripeStateAt,
      });
      await tx.audit({ action: 'billing.plan_changed', entityType: 'billing_subscription', entityId: context.tenantId, before: { plan: before.plan.code, status: before.status }, after: { plan: saved.plan.code, status: saved.status } });
      await tx.emit(SubscriptionChanged.of(context.tenantId, { plan: saved.plan.code, status: saved.status, source: 'operator', stripeEventId: null }));
      return saved;
    });
    await this.billing.changed(context.tenantId);
    const { stripeStateAt: _, ...view } = after;
    return view;
  }
}
