import { Injectable } from '@nestjs/common';
import { InvalidationBus, TenantTransaction, type InvalidatedCache } from '@switchboard/platform';
import { currentPeriod } from '../domain/usage';
import { TenantBilling } from '../entitlements/tenant-billing.service';
import { budgetLines, NO_CAPS, type BudgetCategory, type BudgetLine, type StoredBudgetCaps } from './budget-caps';
import { BudgetCapsRepository } from './budget-caps.repository';

/** Invalidation topic of the caps cache; its keys are tenant ids. */
export const BILLING_BUDGET_CAPS_TOPIC = 'billing.budget-caps';
const CACHE_TTL_MS = 60_000;
const MAX_CACHED_TENANTS = 10_000;
/** How long a tenant's period API request count is used before it is read again (it lags by about two minutes anyway). */
const USAGE_TTL_MS = 15_000;

export interface AppliedCaps {
  plan: string;
  period: { start: string; end: string };
  lines: Record<BudgetCategory, BudgetLine>;
}

/**
 * A tenant's budget caps as every check needs them (the AI gateway's budget, the API request
 * cap), cached per process and dropped everywhere when a change commits; the period's API
 * request count for tenants with an API cap, kept a few seconds.
 */
@Injectable()
export class BudgetCaps {
  private readonly cache: InvalidatedCache<StoredBudgetCaps>;
  private readonly requests = new Map<string, { at: number; periodStart: string; count: Promise<number> }>();

  constructor(
    private readonly tx: TenantTransaction,
    private readonly repository: BudgetCapsRepository,
    private readonly billing: TenantBilling,
    private readonly bus: InvalidationBus,
  ) {
    this.cache = bus.cache(BILLING_BUDGET_CAPS_TOPIC, { name: 'billing.budget_caps', ttlMs: CACHE_TTL_MS, maxEntries: MAX_CACHED_TENANTS, settleBeforeHit: true });
  }

  /** The tenant's stored caps (the empty set when it has none). */
  async stored(tenantId: string): Promise<StoredBudgetCaps> {
    return this.cache.get(tenantId, async () => ({
      value: (await this.tx.run({ tenantId, actorId: null, correlationId: null }, (tx) => this.repository.caps(tx))) ?? NO_CAPS,
      cacheUnder: tenantId,
    }));
  }

  /** The caps that apply now, with the plan and period they apply in. */
  async applied(tenantId: string, now = new Date()): Promise<AppliedCaps> {
    const [subscription, caps] = await Promise.all([this.billing.current(tenantId), this.stored(tenantId)]);
    return { plan: subscription.plan.name, period: currentPeriod(subscription, now), lines: budgetLines(caps, subscription.plan) };
  }

  /** API requests of the period so far (as folded into daily usage), cached for a few seconds. */
  async periodRequests(tenantId: string, period: { start: string; end: string }, now = Date.now()): Promise<number> {
    const hit = this.requests.get(tenantId);
    if (hit && hit.periodStart === period.start && now - hit.at < USAGE_TTL_MS) return hit.count;
    const count = this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => (await this.repository.periodUsage(tx, period.start, period.end)).apiRequests);
    this.requests.set(tenantId, { at: now, periodStart: period.start, count });
    if (this.requests.size > MAX_CACHED_TENANTS) this.requests.delete(this.requests.keys().next().value!);
    count.catch(() => this.requests.delete(tenantId));
    return count;
  }

  /** After a committed change of a tenant's caps: every process reads them again. */
  async changed(tenantId: string): Promise<void> {
    this.requests.delete(tenantId);
    await this.bus.publish(BILLING_BUDGET_CAPS_TOPIC, tenantId);
  }
}
