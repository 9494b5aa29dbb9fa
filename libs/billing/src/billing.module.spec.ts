import { Global, Module } from '@nestjs/common';
import { CqrsModule, QueryBus } from '@nestjs/cqrs';
import { Test } from '@nestjs/testing';
import { AI_BUDGET_DEFAULTS, type AiBudgetDefaults } from '@switchboard/ai-gateway';
import { InvalidationBus, loadConfig, localInvalidationBus, MAILER, PLAN_FEATURE_POLICY, TENANT_REQUEST_LIMITS, TenantTransaction, type PlanFeaturePolicy, type TenantRequestLimitSource } from '@switchboard/platform';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import { SEAT_LIMIT_POLICY, type SeatLimitPolicy } from '@switchboard/tenancy';
import { STORAGE_QUOTA_POLICY, type StorageQuotaPolicy } from '@switchboard/tickets';
import { billingConfig, billingContext, type BillingConfig } from './billing.context';
import { BillingModule } from './billing.module';
import { GetSubscriptionQuery } from './queries/get-subscription/get-subscription.query';
import { BillingRepository } from './repositories/billing.repository';
import { BudgetCapsRepository } from './budgets/budget-caps.repository';

const base = { DATABASE_URL: 'postgres://u:p@localhost:5432/db', REDIS_URL: 'redis://127.0.0.1:6379' };
const config = loadConfig({ ...base, BILLING_DEFAULT_PLAN: 'team' }, [billingContext]);
const team = { code: 'team' as const, name: 'Team', entitlements: { seats: 25, aiMonthlyTokens: 5_000_000, aiMonthlyCostCents: 10_000, apiRequestsPerMinute: 600, storageBytes: 1, features: [] } };

/** What PlatformModule provides (globally) that billing uses, faked: no database or Redis. */
@Global()
@Module({
  imports: [CqrsModule.forRoot()],
  providers: [
    { provide: TenantTransaction, useValue: new FakeTenantTransaction().asTenantTransaction() },
    { provide: billingConfig.token, useValue: config },
    { provide: InvalidationBus, useValue: localInvalidationBus().bus },
    { provide: MAILER, useValue: { send: async () => undefined } },
  ],
  exports: [CqrsModule, TenantTransaction, billingConfig.token, InvalidationBus, MAILER],
})
class FakePlatformModule {}

describe('BillingModule', () => {
  it('boots with nothing but the platform, answers on the bus, and offers the plan to tenancy’s, the gateway’s, tickets’ and the rate limiter’s extension points', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [FakePlatformModule, BillingModule] })
      .overrideProvider(BillingRepository)
      .useValue({ subscription: async () => undefined, plan: async () => team })
      .overrideProvider(BudgetCapsRepository)
      .useValue({ caps: async () => null })
      .compile();
    await moduleRef.init();
    try {
      await expect(moduleRef.get(QueryBus).execute(new GetSubscriptionQuery(testContext().tenantId))).resolves.toMatchObject({ implicit: true, status: 'trialing', limited: false, plan: { code: 'team' } });
      await expect(moduleRef.get<SeatLimitPolicy>(SEAT_LIMIT_POLICY).seatLimit(testContext())).resolves.toEqual({ limit: 25, plan: 'Team' });
      await expect(moduleRef.get<AiBudgetDefaults>(AI_BUDGET_DEFAULTS).budgetFor(testContext())).resolves.toEqual({ monthlyTokens: 5_000_000, monthlyCostCents: 10_000, source: 'Team' });
      await expect(moduleRef.get<StorageQuotaPolicy>(STORAGE_QUOTA_POLICY).storageLimit(testContext())).resolves.toEqual({ limit: 1, plan: 'Team' });
      await expect(moduleRef.get<PlanFeaturePolicy>(PLAN_FEATURE_POLICY).planFeature(testContext().tenantId, 'ai_assists')).resolves.toEqual({ included: false, plan: 'Team' });
      const requests = moduleRef.get<TenantRequestLimitSource>(TENANT_REQUEST_LIMITS);
      await expect(requests.requestLimitOf(testContext().tenantId)).resolves.toEqual({ perMinute: 600, plan: 'Team' });
      expect(requests.requestLimitTopic).toBe('billing.subscription');
    } finally {
      await moduleRef.close();
    }
  });
});

describe('billing configuration', () => {
  it('parses Stripe prices per plan and refuses a malformed one', () => {
    const slice = loadConfig({ ...base, STRIPE_PRICES: 'team:price_1,business:price_2' }, [billingContext]) as unknown as BillingConfig;
    expect(slice.STRIPE_PRICES).toEqual({ team: 'price_1', business: 'price_2' });
    expect(slice.BILLING_GRACE_HOURS).toBe(168);
    expect(() => loadConfig({ ...base, STRIPE_PRICES: 'gold:price_1' }, [billingContext])).toThrow(/STRIPE_PRICES/);
  });
});
