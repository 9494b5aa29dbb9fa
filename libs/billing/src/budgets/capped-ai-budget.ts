import { Injectable } from '@nestjs/common';
import type { AiBudgetDefaults, DefaultAiBudget } from '@switchboard/ai-gateway';
import type { CommandContext } from '@switchboard/platform';
import { PlanLimits } from '../entitlements/plan-limits';
import { BudgetCaps } from './budget-caps.service';

/**
 * The AI gateway's default budget with the tenant's billing caps applied: the plan's monthly
 * tokens as before, and for spend the lower of the tenant's cap and the operator's override (or
 * the plan's cost limit). The gateway then refuses past it with its own 402 naming the plan.
 */
@Injectable()
export class CappedAiBudget implements AiBudgetDefaults {
  constructor(
    private readonly plans: PlanLimits,
    private readonly caps: BudgetCaps,
  ) {}

  async budgetFor(context: CommandContext): Promise<DefaultAiBudget | null> {
    const [plan, applied] = await Promise.all([this.plans.budgetFor(context), this.caps.applied(context.tenantId)]);
    const spend = applied.lines.ai_spend;
    const monthlyTokens = plan?.monthlyTokens ?? null;
    if (monthlyTokens === null && spend.effective === null) return null;
    return { monthlyTokens, monthlyCostCents: spend.effective, source: applied.plan };
  }
}
