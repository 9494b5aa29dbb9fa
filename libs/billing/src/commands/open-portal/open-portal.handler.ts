import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ProblemException } from '@switchboard/platform';
import { TenantBilling } from '../../entitlements/tenant-billing.service';
import { StripeGateway } from '../../stripe/stripe-gateway';
import { OpenPortalCommand } from './open-portal.command';

@CommandHandler(OpenPortalCommand)
export class OpenPortalHandler implements ICommandHandler<OpenPortalCommand> {
  constructor(
    private readonly billing: TenantBilling,
    private readonly stripe: StripeGateway,
  ) {}

  async execute({ context }: OpenPortalCommand): Promise<{ url: string }> {
    const { stripeCustomerId } = await this.billing.load(context.tenantId);
    if (!stripeCustomerId) {
      throw new ProblemException({ status: 409, type: 'no-billing-customer', title: 'Conflict', detail: 'This tenant has no Stripe customer yet: start with POST /v1/billing/checkout.' });
    }
    return { url: await this.stripe.portalUrl(stripeCustomerId) };
  }
}
