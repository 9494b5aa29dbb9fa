import type { Plan } from '../domain/plans';

/** What a tenant can cap per billing period: AI spend (US cents) and API requests. */
export const BUDGET_CATEGORIES = ['ai_spend', 'api_requests'] as const;
export type BudgetCategory = (typeof BUDGET_CATEGORIES)[number];

/** A tenant's stored caps (null: not set) and the operator's overrides of the plan's limit (null: the plan's applies). */
export interface StoredBudgetCaps {
  aiSpendCents: number | null;
  apiRequests: number | null;
  overrideAiSpendCents: number | null;
  overrideApiRequests: number | null;
  version: number;
  updatedAt: string | null;
}

export const NO_CAPS: StoredBudgetCaps = { aiSpendCents: null, apiRequests: null, overrideAiSpendCents: null, overrideApiRequests: null, version: 0, updatedAt: null };

/** One category's caps as they apply. */
export interface BudgetLine {
  category: BudgetCategory;
  /** The tenant's own cap; null: none. */
  cap: number | null;
  /** The most the tenant may set: the operator's override, else the plan's limit; null: unlimited. */
  ceiling: number | null;
  ceilingSource: 'operator' | 'plan' | null;
  /** The lower of cap and ceiling: what is enforced; null: nothing is. */
  effective: number | null;
  /** Whose limit `effective` is. */
  effectiveSource: 'tenant' | 'operator' | 'plan' | null;
}

const lower = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b));

function line(category: BudgetCategory, cap: number | null, override: number | null, plan: number | null): BudgetLine {
  const ceiling = override ?? plan;
  const ceilingSource = override !== null ? 'operator' : plan !== null ? 'plan' : null;
  const effective = lower(cap, ceiling);
  const effectiveSource = effective === null ? null : cap !== null && effective === cap && (ceiling === null || cap < ceiling) ? 'tenant' : ceilingSource;
  return { category, cap, ceiling, ceilingSource, effective, effectiveSource };
}

/**
 * The caps that apply: AI spend under the operator's override or else the plan's monthly AI cost;
 * API requests under the operator's override only (plans limit requests per minute, not per period).
 */
export function budgetLines(caps: StoredBudgetCaps, plan: Plan): Record<BudgetCategory, BudgetLine> {
  return {
    ai_spend: line('ai_spend', caps.aiSpendCents, caps.overrideAiSpendCents, plan.entitlements.aiMonthlyCostCents),
    api_requests: line('api_requests', caps.apiRequests, caps.overrideApiRequests, null),
  };
}

/** Caps a tenant asks for that are above what its plan (or the operator) allows, as validation errors. */
export function capsAboveCeiling(requested: { aiSpendCents?: number | null; apiRequests?: number | null }, lines: Record<BudgetCategory, BudgetLine>): { field: string; message: string }[] {
  const errors: { field: string; message: string }[] = [];
  const check = (field: 'aiSpendCents' | 'apiRequests', l: BudgetLine) => {
    const value = requested[field];
    if (value == null || l.ceiling === null || value <= l.ceiling) return;
    errors.push({ field, message: `must be at most ${l.ceiling} (${l.ceilingSource === 'operator' ? 'the limit set for this tenant' : 'the plan’s limit'})` });
  };
  check('aiSpendCents', lines.ai_spend);
  check('apiRequests', lines.api_requests);
  return errors;
}

/** Whether usage has reached the warning share of a cap (a cap of 0 refuses everything; there is nothing to warn of). */
export function warningDue(used: number, effective: number | null, percent: number): boolean {
  return effective !== null && effective > 0 && used * 100 >= effective * percent;
}

/** Seconds until the period's end (exclusive day, UTC): the Retry-After of a refusal. */
export function secondsUntil(periodEnd: string, now: number): number {
  return Math.max(1, Math.ceil((Date.parse(`${periodEnd}T00:00:00Z`) - now) / 1000));
}
