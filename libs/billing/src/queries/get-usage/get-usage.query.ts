import { Query } from '@nestjs/cqrs';
import type { UsageReport } from '../../domain/usage';

/** The tenant's metered usage in the current billing period: totals, by category, per day. */
export class GetUsageQuery extends Query<UsageReport> {
  constructor(readonly tenantId: string) {
    super();
  }
}
