import { Module } from '@nestjs/common';
import { BillingModule } from './billing.module';
import { INVOICE_WORKER_PROVIDERS } from './invoices/invoices.providers';
import { ApiUsageFlusher } from './metering/api-usage-flusher';
import { BillingQueueProcessor, FlushApiUsageJob } from './worker/billing-jobs';
import { MeterAiUsageJob } from './worker/meter-ai-usage.job';
import { StartTrialJob } from './worker/start-trial.job';
import { BudgetWarner } from './budgets/budget-warner';
import { MailBudgetWarningJob } from './budgets/mail-budget-warning.job';
import { CheckBudgetsJob, ReconcileMetersJob, ReportMetersJob } from './meter-reporting/meter-jobs';
import { MeterMetrics } from './meter-reporting/meter-metrics';
import { MeterReconciler } from './meter-reporting/meter-reconciler';
import { MeterReporter } from './meter-reporting/meter-reporter';

@Module({
  imports: [BillingModule],
  providers: [
    BillingQueueProcessor,
    MeterAiUsageJob,
    StartTrialJob,
    ApiUsageFlusher,
    FlushApiUsageJob,
    MeterReporter,
    MeterReconciler,
    MeterMetrics,
    BudgetWarner,
    ReportMetersJob,
    ReconcileMetersJob,
    CheckBudgetsJob,
    MailBudgetWarningJob,
    ...INVOICE_WORKER_PROVIDERS,
  ],
})
export class BillingWorkerModule {}
