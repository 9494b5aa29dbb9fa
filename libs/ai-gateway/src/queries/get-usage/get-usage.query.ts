import { Query } from '@nestjs/cqrs';

export interface UsageGroup {
  day: string;
  feature: string;
  provider: string;
  model: string;
  calls: number;
  failures: number;
  promptTokens: number;
  completionTokens: number;
  costMicroUsd: number;
}

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
