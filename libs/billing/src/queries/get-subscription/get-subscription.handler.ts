import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantBilling } from '../../entitlements/tenant-billing.service';
import { GetSubscriptionQuery, type SubscriptionStanding } from './get-subscription.query';

@QueryHandler(GetSubscriptionQuery)
export class GetSubscriptionHandler implements IQueryHandler<GetSubscriptionQuery> {
  constructor(private readonly billing: TenantBilling) {}

  async execute({ tenantId }: GetSubscriptionQuery): Promise<SubscriptionStanding> {
    const view = await this.billing.load(tenantId);
    return { ...view, limited: this.billing.limited(view) };
  }
}
