import { Module } from '@nestjs/common';
import { BillingModule } from './billing.module';
import { INVOICE_WORKER_PROVIDERS } from './invoices/invoices.providers';
import { ApiUsageFlusher } from './metering/api-usage-flusher';
import { BillingQueueProcessor, FlushApiUsageJob } from './worker/billing-jobs';
import { MeterAiUsageJob } from './worker/meter-ai-usage.job';
import { StartTrialJob } from './worker/start-trial.job';

@Module({ imports: [BillingModule], providers: [BillingQueueProcessor, MeterAiUsageJob, StartTrialJob, ApiUsageFlusher, FlushApiUsageJob, ...INVOICE_WORKER_PROVIDERS] })
export class BillingWorkerModule {}
