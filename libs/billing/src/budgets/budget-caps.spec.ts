import type { Plan } from '../domain/plans';
import { budgetLines, capsAboveCeiling, NO_CAPS, secondsUntil, warningDue } from './budget-caps';

const business: Plan = { code: 'business', name: 'Business', entitlements: { seats: null, aiMonthlyTokens: 50_000_000, aiMonthlyCostCents: 100_000, apiRequestsPerMinute: 3000, storageBytes: null, features: [] } };

describe('budgetLines', () => {
  it('without caps: AI spend limited by the plan, API requests by nothing', () => {
    const lines = budgetLines(NO_CAPS, business);
    expect(lines.ai_spend).toEqual({ category: 'ai_spend', cap: null, ceiling: 100_000, ceilingSource: 'plan', effective: 100_000, effectiveSource: 'plan' });
    expect(lines.api_requests).toEqual({ category: 'api_requests', cap: null, ceiling: null, ceilingSource: null, effective: null, effectiveSource: null });
  });

  it('the tenant’s cap applies below the ceiling; the operator’s override replaces the plan’s limit, higher or lower', () => {
    expect(budgetLines({ ...NO_CAPS, aiSpendCents: 5_000, apiRequests: 1_000 }, business)).toMatchObject({
      ai_spend: { cap: 5_000, effective: 5_000, effectiveSource: 'tenant' },
      api_requests: { cap: 1_000, effective: 1_000, effectiveSource: 'tenant' },
    });
    expect(budgetLines({ ...NO_CAPS, overrideAiSpendCents: 250_000 }, business).ai_spend).toMatchObject({ ceiling: 250_000, ceilingSource: 'operator', effective: 250_000, effectiveSource: 'operator' });
    expect(budgetLines({ ...NO_CAPS, aiSpendCents: 5_000, overrideAiSpendCents: 1_000, overrideApiRequests: 10 }, business)).toMatchObject({
      ai_spend: { effective: 1_000, effectiveSource: 'operator' },
      api_requests: { ceiling: 10, ceilingSource: 'operator', effective: 10 },
    });
  });
});

describe('capsAboveCeiling', () => {
  it('names each cap above the plan’s or the operator’s limit; null and absent pass', () => {
    const lines = budgetLines({ ...NO_CAPS, overrideApiRequests: 100 }, business);
    expect(capsAboveCeiling({ aiSpendCents: 100_000, apiRequests: 100 }, lines)).toEqual([]);
    expect(capsAboveCeiling({ aiSpendCents: null }, lines)).toEqual([]);
    expect(capsAboveCeiling({ aiSpendCents: 100_001, apiRequests: 101 }, lines)).toEqual([
      { field: 'aiSpendCents', message: 'must be at most 100000 (the plan’s limit)' },
      { field: 'apiRequests', message: 'must be at most 100 (the limit set for this tenant)' },
    ]);
  });
});

describe('warningDue and secondsUntil', () => {
  it('warns from the share on, never for a missing or zero cap', () => {
    expect(warningDue(79, 100, 80)).toBe(false);
    expect(warningDue(80, 100, 80)).toBe(true);
    expect(warningDue(500, null, 80)).toBe(false);
    expect(warningDue(0, 0, 80)).toBe(false);
  });

  it('counts the seconds to the period’s end, at least one', () => {
    expect(secondsUntil('2027-01-01', Date.parse('2026-12-31T23:59:00Z'))).toBe(60);
    expect(secondsUntil('2026-12-01', Date.parse('2026-12-31T23:59:00Z'))).toBe(1);
  });
});
