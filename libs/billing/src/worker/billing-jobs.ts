import { Processor } from '@nestjs/bullmq';
import { HandlesJob, QueueProcessor, type JobHandler } from '@switchboard/platform';
import { BillingQueue, FlushApiUsage } from '../billing.context';
import { ApiUsageFlusher } from '../metering/api-usage-flusher';

// Metering is short database work per event: a few at a time.
@Processor('billing', { autorun: false, concurrency: 4 })
export class BillingQueueProcessor extends QueueProcessor {
  readonly queue = BillingQueue.name;
}

/** Every minute: settled minutes of API request counts folded from Redis into daily usage. */
@HandlesJob(FlushApiUsage)
export class FlushApiUsageJob implements JobHandler<Record<string, never>> {
  constructor(private readonly flusher: ApiUsageFlusher) {}

  async handle(): Promise<void> {
    await this.flusher.flush();
  }
}
