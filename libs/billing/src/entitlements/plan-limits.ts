import { Injectable } from '@nestjs/common';
import type { AiBudgetDefaults, DefaultAiBudget } from '@switchboard/ai-gateway';
import type { CommandContext, PlanFeature, PlanFeaturePolicy, TenantPlanSource, TenantRequestLimit, TenantRequestLimitSource } from '@switchboard/platform';
import type { SeatLimit, SeatLimitPolicy } from '@switchboard/tenancy';
import type { StorageLimit, StorageQuotaPolicy } from '@switchboard/tickets';
import { PLAN_CODES } from '../domain/plans';
import { BILLING_SUBSCRIPTION_TOPIC, TenantBilling } from './tenant-billing.service';

/**
 * The plan's entitlements offered to the contexts that enforce them, through their own extension
 * points (tenancy's seat limit, the AI gateway's default budget, the platform's plan-based feature
 * flags and per-tenant rate limit, tickets' storage quota, and every context's plan feature switches): billing knows them, they do not know billing (ADR 0052).
 */
@Injectable()
export class PlanLimits implements SeatLimitPolicy, AiBudgetDefaults, TenantPlanSource, TenantRequestLimitSource, StorageQuotaPolicy, PlanFeaturePolicy {
  /** The subscription cache's topic: a committed plan change reaches the rate limiters' caches too. */
  readonly requestLimitTopic = BILLING_SUBSCRIPTION_TOPIC;

  constructor(private readonly billing: TenantBilling) {}

  async requestLimitOf(tenantId: string): Promise<TenantRequestLimit> {
    const { plan } = await this.billing.current(tenantId);
    return { perMinute: plan.entitlements.apiRequestsPerMinute, plan: plan.name };
  }

  async seatLimit(context: CommandContext): Promise<SeatLimit> {
    const { plan } = await this.billing.current(context.tenantId);
    return { limit: plan.entitlements.seats, plan: plan.name };
  }

  async storageLimit(context: CommandContext): Promise<StorageLimit> {
    const { plan } = await this.billing.current(context.tenantId);
    return { limit: plan.entitlements.storageBytes, plan: plan.name };
  }

  async planFeature(tenantId: string, feature: string): Promise<PlanFeature> {
    const { plan } = await this.billing.current(tenantId);
    return { included: plan.entitlements.features.includes(feature), plan: plan.name };
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
