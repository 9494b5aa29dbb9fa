import { CommandHandler, QueryBus, type ICommandHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { GetTenantQuery, type TenantView } from '@switchboard/tenancy';
import { TenantBilling } from '../../entitlements/tenant-billing.service';
import { BillingRepository } from '../../repositories/billing.repository';
import { StripeGateway } from '../../stripe/stripe-gateway';
import { StartCheckoutCommand } from './start-checkout.command';

@CommandHandler(StartCheckoutCommand)
export class StartCheckoutHandler implements ICommandHandler<StartCheckoutCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly repository: BillingRepository,
    private readonly billing: TenantBilling,
    private readonly stripe: StripeGateway,
    private readonly queries: QueryBus,
  ) {}

  async execute({ context, plan }: StartCheckoutCommand): Promise<{ url: string }> {
    const current = await this.billing.load(context.tenantId);
    let customerId = current.stripeCustomerId;
    if (!customerId) {
      const tenant: TenantView = await this.queries.execute(new GetTenantQuery(context.tenantId));
      // Stripe first (idempotent per tenant), then the id is kept: no network call inside the transaction.
      const created = await this.stripe.createCustomer(context.tenantId, tenant.name);
      customerId = await this.tx.run(context, async (tx) => {
        const { stored: base } = await this.repository.lockOrCreate(tx, { planCode: current.plan.code, status: current.status, trialEndsAt: current.trialEndsAt });
        if (base.stripeCustomerId) return base.stripeCustomerId;
        await this.repository.save(tx, {
          planCode: base.plan.code,
          status: base.status,
          stripeCustomerId: created,
          stripeSubscriptionId: base.stripeSubscriptionId,
          trialEndsAt: base.trialEndsAt,
          currentPeriodStart: base.currentPeriodStart,
          currentPeriodEnd: base.currentPeriodEnd,
          lapsedAt: base.lapsedAt,
          stripeStateAt: base.stripeStateAt,
        });
        await tx.audit({ action: 'billing.customer_created', entityType: 'billing_subscription', entityId: context.tenantId, after: { stripeCustomerId: created } });
        return created;
      });
      await this.billing.changed(context.tenantId);
    }
    return { url: await this.stripe.checkoutUrl(context.tenantId, customerId, plan) };
  }
}
