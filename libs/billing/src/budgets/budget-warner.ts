import { Inject, Injectable, Logger } from '@nestjs/common';
import { TenantTransaction } from '@switchboard/platform';
import { billingConfig, BudgetWarning, type BillingConfig } from '../billing.context';
import { currentPeriod } from '../domain/usage';
import { TenantBilling } from '../entitlements/tenant-billing.service';
import { budgetLines, NO_CAPS, warningDue, type BudgetCategory } from './budget-caps';
import { BudgetCapsRepository } from './budget-caps.repository';

/**
 * The soft side of budget caps: a tenant whose period usage reached the warning share of a cap
 * gets `billing.budget_warning`, once per period and category (the claim and the event commit
 * together; the mail follows from the event).
 */
@Injectable()
export class BudgetWarner {
  private readonly logger = new Logger('Billing');

  constructor(
    private readonly tx: TenantTransaction,
    private readonly repository: BudgetCapsRepository,
    private readonly billing: TenantBilling,
    @Inject(billingConfig.token) private readonly config: BillingConfig,
  ) {}

  /** Returns the warnings raised. */
  async check(now = new Date()): Promise<number> {
    const tenants = await this.tx.runAsSystem((manager) => this.repository.cappedTenants(manager));
    let raised = 0;
    for (const tenantId of tenants) {
      const subscription = await this.billing.current(tenantId);
      const period = currentPeriod(subscription, now);
      const percent = this.config.BILLING_BUDGET_WARNING_PERCENT;
      raised += await this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
        const lines = budgetLines((await this.repository.caps(tx)) ?? NO_CAPS, subscription.plan);
        const usage = await this.repository.periodUsage(tx, period.start, period.end);
        const used: Record<BudgetCategory, number> = { ai_spend: usage.aiSpendCents, api_requests: usage.apiRequests };
        let n = 0;
        for (const category of ['ai_spend', 'api_requests'] as const) {
          const cap = lines[category].effective;
          if (!warningDue(used[category], cap, percent) || !(await this.repository.claimWarning(tx, period.start, category, used[category], cap!))) continue;
          await tx.emit(
            BudgetWarning.of(tenantId, {
              category,
              periodStart: period.start,
              periodEnd: period.end,
              used: used[category],
              cap: cap!,
              percent,
              plan: subscription.plan.name,
              unit: category === 'ai_spend' ? 'usd_cents' : 'requests',
            }),
          );
          n += 1;
        }
        return n;
      });
    }
    if (raised > 0) this.logger.log({ warnings: raised }, 'Budget warnings raised');
    return raised;
  }
}
