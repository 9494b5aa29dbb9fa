import { Query } from '@nestjs/cqrs';
import type { Page } from '@switchboard/platform';
import type { SubscriptionStatus, SubscriptionView } from '../../domain/plans';

export type TenantSubscription = SubscriptionView & { tenantId: string; limited: boolean };

/** Operators: every tenant's subscription, most recently changed first (tenants on the implicit default trial have none). */
export class ListSubscriptionsQuery extends Query<Page<TenantSubscription>> {
  constructor(
    readonly limit: number,
    readonly cursor: string | undefined,
    readonly status: SubscriptionStatus | undefined,
  ) {
    super();
  }
}
