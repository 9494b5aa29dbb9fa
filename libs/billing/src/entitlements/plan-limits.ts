import { Injectable } from '@nestjs/common';
import type { AiBudgetDefaults, DefaultAiBudget } from '@switchboard/ai-gateway';
import type { CommandContext } from '@switchboard/platform';
import type { SeatLimit, SeatLimitPolicy } from '@switchboard/tenancy';
import { TenantBilling } from './tenant-billing.service';

/**
 * The plan's entitlements offered to the contexts that enforce them, through their own extension
 * points (tenancy's seat limit, the AI gateway's default budget): billing knows them, they do
 * not know billing (ADR 0052).
 */
@Injectable()
export class PlanLimits implements SeatLimitPolicy, AiBudgetDefaults {
  constructor(private readonly billing: TenantBilling) {}

  async seatLimit(context: CommandContext): Promise<SeatLimit> {
    const { plan } = await this.billing.current(context.tenantId);
    return { limit: plan.entitlements.seats, plan: plan.name };
  }

  async budgetFor(context: CommandContext): Promise<DefaultAiBudget | null> {
    const { plan } = await this.billing.current(context.tenantId);
    const { aiMonthlyTokens, aiMonthlyCostCents } = plan.entitlements;
    if (aiMonthlyTokens == null && aiMonthlyCostCents == null) return null;
    return { monthlyTokens: aiMonthlyTokens, monthlyCostCents: aiMonthlyCostCents, source: plan.name };
  }
}
