import { Injectable } from '@nestjs/common';
import type { AiBudgetDefaults, DefaultAiBudget } from '@switchboard/ai-gateway';
import type { CommandContext, TenantPlanSource } from '@switchboard/platform';
import type { SeatLimit, SeatLimitPolicy } from '@switchboard/tenancy';
import { PLAN_CODES } from '../domain/plans';
import { TenantBilling } from './tenant-billing.service';

/**
 * The plan's entitlements offered to the contexts that enforce them, through their own extension
 * points (tenancy's seat limit, the AI gateway's default budget, the platform's plan-based feature
 * flags): billing knows them, they do not know billing (ADR 0052).
 */
@Injectable()
export class PlanLimits implements SeatLimitPolicy, AiBudgetDefaults, TenantPlanSource {
  constructor(private readonly billing: TenantBilling) {}

  async seatLimit(context: CommandContext): Promise<SeatLimit> {
    const { plan } = await this.billing.current(context.tenantId);
    return { limit: plan.entitlements.seats, plan: plan.name };
  }

  async planOf(tenantId: string): Promise<string> {
    return (await this.billing.current(tenantId)).plan.code;
  }

  planCodes(): Promise<readonly string[]> {
    return Promise.resolve(PLAN_CODES);
  }

  async budgetFor(context: CommandContext): Promise<DefaultAiBudget | null> {
    const { plan } = await this.billing.current(context.tenantId);
    const { aiMonthlyTokens, aiMonthlyCostCents } = plan.entitlements;
    if (aiMonthlyTokens == null && aiMonthlyCostCents == null) return null;
    return { monthlyTokens: aiMonthlyTokens, monthlyCostCents: aiMonthlyCostCents, source: plan.name };
  }
}
