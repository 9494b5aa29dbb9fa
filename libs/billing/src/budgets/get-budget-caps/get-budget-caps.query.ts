import { Query } from '@nestjs/cqrs';
import type { BudgetLine } from '../budget-caps';

export interface BudgetCapLineView extends BudgetLine {
  unit: 'usd_cents' | 'requests';
  /** Used in the period so far (API requests arrive about two minutes late). */
  used: number;
  /** When owners and admins were warned in this period, or null. */
  warnedAt: string | null;
}

export interface BudgetCapsView {
  plan: string;
  period: { start: string; end: string };
  warningPercent: number;
  aiSpend: BudgetCapLineView;
  apiRequests: BudgetCapLineView;
  version: number;
  updatedAt: string | null;
}

/** A tenant's budget caps as they apply, with the period's usage against them. */
export class GetBudgetCapsQuery extends Query<BudgetCapsView> {
  constructor(readonly tenantId: string) {
    super();
  }
}
