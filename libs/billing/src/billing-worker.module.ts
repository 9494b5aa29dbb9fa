import { Module } from '@nestjs/common';
import { BillingModule } from './billing.module';
import { ApiUsageFlusher } from './metering/api-usage-flusher';
import { BillingQueueProcessor, FlushApiUsageJob } from './worker/billing-jobs';
import { MeterAiUsageJob } from './worker/meter-ai-usage.job';

@Module({ imports: [BillingModule], providers: [BillingQueueProcessor, MeterAiUsageJob, ApiUsageFlusher, FlushApiUsageJob] })
export class BillingWorkerModule {}
