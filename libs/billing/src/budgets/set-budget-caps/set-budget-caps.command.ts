import { Command } from '@nestjs/cqrs';
import { ProblemException, type CommandContext } from '@switchboard/platform';
import type { BudgetCapsView } from '../get-budget-caps/get-budget-caps.query';

/** A cap change: a number sets it, null clears it, absent keeps it. */
export interface BudgetCapsChange {
  aiSpendCents?: number | null;
  apiRequests?: number | null;
}

const valid = (v: number | null | undefined) => v === undefined || v === null || (Number.isSafeInteger(v) && v >= 0);

/**
 * Sets budget caps: `by: 'tenant'` the tenant's own caps (within its plan's, or the operator's,
 * limit), `by: 'operator'` the operator's override of the plan's limit (audited as the platform admin).
 * `version`, when given, must be the caps' current version (409 otherwise).
 */
export class SetBudgetCapsCommand extends Command<BudgetCapsView> {
  constructor(
    readonly context: CommandContext,
    readonly by: 'tenant' | 'operator',
    readonly change: BudgetCapsChange,
    readonly version: number | null = null,
  ) {
    super();
    const bad = (['aiSpendCents', 'apiRequests'] as const).filter((f) => !valid(change[f]));
    if (bad.length > 0) {
      throw new ProblemException({ status: 400, type: 'validation-failed', title: 'Bad Request', detail: 'Budget caps are whole numbers ≥ 0, or null to clear them.', errors: bad.map((field) => ({ field, message: 'must be an integer ≥ 0 or null' })) });
    }
  }
}
