import type { CommandContext } from '@switchboard/platform';

/** A monthly AI budget that applies to a tenant unless its own settings set a lower one. */
export interface DefaultAiBudget {
  monthlyTokens: number | null;
  monthlyCostCents: number | null;
  /** Where it comes from (a plan's display name), named in refusals. */
  source: string;
}

/**
 * The gateway's extension point for default budgets: a context that sells plans (billing)
 * provides it; without one, only the tenant's own settings apply. The gateway never names it.
 */
export interface AiBudgetDefaults {
  budgetFor(context: CommandContext): Promise<DefaultAiBudget | null>;
}

export const AI_BUDGET_DEFAULTS = Symbol.for('switchboard.ai-gateway.budget-defaults');
