import type { TenantTransaction } from '@switchboard/platform';
import { FakeTenantTransaction } from '@switchboard/platform/testing';
import type { BillingConfig } from '../billing.context';
import type { TenantBilling } from '../entitlements/tenant-billing.service';
import { NO_CAPS } from './budget-caps';
import type { BudgetCapsRepository } from './budget-caps.repository';
import { BudgetWarner } from './budget-warner';

const A = '6f1c1c36-55a4-4f43-9d7c-0d1a1e0b9a11';
const B = '7a2d2d47-66b5-4a54-8e8d-1e2b2f1c0b22';
const team = { code: 'team', name: 'Team', entitlements: { seats: 25, aiMonthlyTokens: 5_000_000, aiMonthlyCostCents: 10_000, apiRequestsPerMinute: 600, storageBytes: 1, features: [] } };

function setup() {
  const tx = new FakeTenantTransaction();
  const claimed = new Set<string>();
  const usage = new Map([
    [A, { aiSpendCents: 8_500, aiCostMicros: 85_000_000, apiRequests: 79 }],
    [B, { aiSpendCents: 0, aiCostMicros: 0, apiRequests: 10 }],
  ]);
  const repository = {
    cappedTenants: async () => [A, B],
    caps: async (t: { tenantId: string }) => (t.tenantId === A ? { ...NO_CAPS, apiRequests: 100 } : { ...NO_CAPS, apiRequests: 1_000 }),
    periodUsage: async (t: { tenantId: string }) => usage.get(t.tenantId)!,
    claimWarning: async (t: { tenantId: string }, period: string, category: string) => {
      const key = `${t.tenantId}|${period}|${category}`;
      if (claimed.has(key)) return false;
      claimed.add(key);
      return true;
    },
  };
  const billing = { current: async () => ({ plan: team, currentPeriodStart: null, currentPeriodEnd: null }) };
  const transaction = Object.assign(tx.asTenantTransaction(), { runAsSystem: async (work: (m: unknown) => Promise<unknown>) => work(null) }) as unknown as TenantTransaction;
  const warner = new BudgetWarner(transaction, repository as unknown as BudgetCapsRepository, billing as unknown as TenantBilling, { BILLING_BUDGET_WARNING_PERCENT: 80 } as BillingConfig);
  return { warner, tx, usage };
}

describe('BudgetWarner', () => {
  it('warns a tenant past 80 % of a cap once per period and category, and only that tenant', async () => {
    const { warner, tx, usage } = setup();
    const now = new Date('2026-12-07T12:00:00Z');
    // A: AI spend 85 % of the plan's 10,000 cents; API requests 79 of 100 (not yet).
    expect(await warner.check(now)).toBe(1);
    expect(tx.emitted).toEqual([
      { type: 'billing.budget_warning', aggregateId: A, payload: { category: 'ai_spend', periodStart: '2026-12-01', periodEnd: '2027-01-01', used: 8_500, cap: 10_000, percent: 80, plan: 'Team', unit: 'usd_cents' } },
    ]);
    usage.get(A)!.apiRequests = 95;
    expect(await warner.check(now)).toBe(1);
    expect(tx.emitted.at(-1)).toMatchObject({ aggregateId: A, payload: { category: 'api_requests', used: 95, cap: 100, unit: 'requests' } });
    expect(await warner.check(now)).toBe(0);
    // The next period warns again.
    expect(await warner.check(new Date('2027-01-02T00:00:00Z'))).toBe(2);
    expect(tx.emitted.every((e) => e.aggregateId === A)).toBe(true);
  });
});
