import { Inject, Injectable } from '@nestjs/common';
import { InvalidationBus, TenantTransaction, type CommandContext, type InvalidatedCache } from '@switchboard/platform';
import { billingConfig, type BillingConfig } from '../billing.context';
import { isLimited, type SubscriptionView } from '../domain/plans';
import { BillingRepository } from '../repositories/billing.repository';

/** Invalidation topic of the subscription cache; its keys are tenant ids. */
export const BILLING_SUBSCRIPTION_TOPIC = 'billing.subscription';
const MAX_CACHED_TENANTS = 10_000;
const CACHE_TTL_MS = 60_000;

/**
 * A tenant's subscription and plan as every check needs it (seat limit, AI budget, lapsed
 * writes), cached per process and dropped on every process when a change commits; a tenant
 * without a subscription row is on the default plan's open trial.
 */
@Injectable()
export class TenantBilling {
  private readonly cache: InvalidatedCache<SubscriptionView>;
  private readonly graceMs: number;

  constructor(
    @Inject(billingConfig.token) private readonly config: BillingConfig,
    private readonly tx: TenantTransaction,
    private readonly repository: BillingRepository,
    private readonly bus: InvalidationBus,
  ) {
    this.graceMs = config.BILLING_GRACE_HOURS * 3_600_000;
    this.cache = bus.cache(BILLING_SUBSCRIPTION_TOPIC, { name: 'billing.subscription', ttlMs: CACHE_TTL_MS, maxEntries: MAX_CACHED_TENANTS, settleBeforeHit: true });
  }

  async current(tenantId: string): Promise<SubscriptionView> {
    return this.cache.get(tenantId, async () => ({ value: await this.load(tenantId), cacheUnder: tenantId }));
  }

  /** Reads allowed, writes refused: out of good standing for longer than the grace period. */
  limited(view: SubscriptionView, now = Date.now()): boolean {
    return isLimited(view, this.graceMs, now);
  }

  /** After a committed change of a tenant's subscription: every process reads it again. */
  async changed(tenantId: string): Promise<void> {
    await this.bus.publish(BILLING_SUBSCRIPTION_TOPIC, tenantId);
  }

  /** The stored subscription, or the default plan's open trial (read in the caller's transaction or a new one). */
  async load(tenantId: string): Promise<SubscriptionView> {
    const context: CommandContext = { tenantId, actorId: null, correlationId: null };
    return this.tx.run(context, async (tx) => {
      const stored = await this.repository.subscription(tx);
      if (stored) return stored;
      const plan = (await this.repository.plan(tx, this.config.BILLING_DEFAULT_PLAN))!;
      return {
        plan,
        status: 'trialing',
        implicit: true,
        stripeCustomerId: null,
        stripeSubscriptionId: null,
        trialEndsAt: null,
        currentPeriodStart: null,
        currentPeriodEnd: null,
        lapsedAt: null,
        creditCents: 0,
        version: 0,
        updatedAt: null,
      } satisfies SubscriptionView;
    });
  }
}
