import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { billingConfig, type BillingConfig } from '../../billing.context';
import { currentPeriod } from '../../domain/usage';
import { TenantBilling } from '../../entitlements/tenant-billing.service';
import { budgetLines, NO_CAPS } from '../budget-caps';
import { BudgetCapsRepository } from '../budget-caps.repository';
import { GetBudgetCapsQuery, type BudgetCapsView } from './get-budget-caps.query';

@QueryHandler(GetBudgetCapsQuery)
export class GetBudgetCapsHandler implements IQueryHandler<GetBudgetCapsQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly repository: BudgetCapsRepository,
    private readonly billing: TenantBilling,
    @Inject(billingConfig.token) private readonly config: BillingConfig,
  ) {}

  async execute({ tenantId }: GetBudgetCapsQuery): Promise<BudgetCapsView> {
    const subscription = await this.billing.current(tenantId);
    const period = currentPeriod(subscription, new Date());
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      const caps = (await this.repository.caps(tx)) ?? NO_CAPS;
      const used = await this.repository.periodUsage(tx, period.start, period.end);
      const warnings = await this.repository.warnings(tx, period.start);
      const lines = budgetLines(caps, subscription.plan);
      return {
        plan: subscription.plan.name,
        period,
        warningPercent: this.config.BILLING_BUDGET_WARNING_PERCENT,
        aiSpend: { ...lines.ai_spend, unit: 'usd_cents', used: used.aiSpendCents, warnedAt: warnings.get('ai_spend') ?? null },
        apiRequests: { ...lines.api_requests, unit: 'requests', used: used.apiRequests, warnedAt: warnings.get('api_requests') ?? null },
        version: caps.version,
        updatedAt: caps.updatedAt,
      };
    });
  }
}
