import { HandlesJob, type JobHandler } from '@switchboard/platform';
import { CheckBudgets, ReconcileMeters, ReportMeters } from '../billing.context';
import { BudgetWarner } from '../budgets/budget-warner';
import { MeterReconciler } from './meter-reconciler';
import { MeterReporter } from './meter-reporter';

/** Every minute: usage deltas decided and sent to Stripe's meters; fails (and is retried with backoff) while events stay undelivered. */
@HandlesJob(ReportMeters)
export class ReportMetersJob implements JobHandler<Record<string, never>> {
  constructor(private readonly reporter: MeterReporter) {}

  async handle(): Promise<void> {
    await this.reporter.run();
  }
}

/** Every hour: our totals against Stripe's per tenant and period. */
@HandlesJob(ReconcileMeters)
export class ReconcileMetersJob implements JobHandler<Record<string, never>> {
  constructor(private readonly reconciler: MeterReconciler) {}

  async handle(): Promise<void> {
    await this.reconciler.reconcile();
  }
}

/** Every minute: tenants past the warning share of a budget cap are warned once per period. */
@HandlesJob(CheckBudgets)
export class CheckBudgetsJob implements JobHandler<Record<string, never>> {
  constructor(private readonly warner: BudgetWarner) {}

  async handle(): Promise<void> {
    await this.warner.check();
  }
}
