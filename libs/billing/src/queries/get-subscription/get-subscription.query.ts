import { Query } from '@nestjs/cqrs';
import type { SubscriptionView } from '../../domain/plans';

export type SubscriptionStanding = SubscriptionView & { limited: boolean };

/** The tenant's plan, entitlements and subscription, and whether it is limited to reads. */
export class GetSubscriptionQuery extends Query<SubscriptionStanding> {
  constructor(readonly tenantId: string) {
    super();
  }
}
