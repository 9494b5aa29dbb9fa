import { Query } from '@nestjs/cqrs';
import type { Page } from '@switchboard/platform';
import type { ReportCategory } from '../meter-slices';

export interface ReconciliationView {
  tenantId: string;
  period: { start: string; end: string };
  category: ReportCategory;
  /** Our usage in the period. */
  ours: number;
  /** Sent to Stripe and acknowledged. */
  reported: number;
  /** Decided but not delivered yet (or rejected by Stripe). */
  pending: number;
  /** Stripe's event summaries for the customer and meter. */
  stripe: number;
  /** ours − stripe: positive while usage is on its way or lost. */
  difference: number;
  /** reported − stripe: should be 0 (Stripe processes events asynchronously, so briefly not). */
  unexplained: number;
  checkedAt: string;
}

/** Operators: the latest reconciliation lines, newest first; `differencesOnly` keeps lines where Stripe disagrees. */
export class ListReconciliationsQuery extends Query<Page<ReconciliationView>> {
  constructor(
    readonly limit: number,
    readonly cursor: string | undefined,
    readonly differencesOnly: boolean,
    readonly tenantId: string | null,
  ) {
    super();
  }
}
