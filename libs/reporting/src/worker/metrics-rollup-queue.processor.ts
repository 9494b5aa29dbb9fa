import { Processor } from '@nestjs/bullmq';
import { QueueProcessor } from '@switchboard/platform';
import { MetricsRollupQueue } from '../reporting.context';

// Each job is one short transaction on the database; a few at a time keep up with busy tenants.
@Processor('metrics-rollup', { autorun: false, concurrency: 4 })
export class MetricsRollupQueueProcessor extends QueueProcessor {
  readonly queue = MetricsRollupQueue.name;
}
