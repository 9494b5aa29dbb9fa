import { Query } from '@nestjs/cqrs';
import type { UsageGroup } from '../../repositories/ai-usage.sql';

export type { UsageGroup };

export interface UsageSummary {
  from: string;
  to: string;
  totals: { calls: number; promptTokens: number; completionTokens: number; costMicroUsd: number };
  data: UsageGroup[];
}

export class GetAiUsageQuery extends Query<UsageSummary> {
  constructor(
    readonly tenantId: string,
    readonly from: Date,
    readonly to: Date,
  ) {
    super();
  }
}
