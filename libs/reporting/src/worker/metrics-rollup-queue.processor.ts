import { Processor } from '@nestjs/bullmq';
import { QueueProcessor } from '@switchboard/platform';
import { MetricsRollupQueue } from '../reporting.context';

// Each job is one short transaction on the database. Most jobs are ticket events' receipts, which
// a tenant's jobs in flight share (EventConsumer.onceBatched, ADR 0069): the more run at once, the
// bigger a backlog's groups. The tenant's other work still takes at most DATABASE_TENANT_CONCURRENCY
// connections at a time.
@Processor('metrics-rollup', { autorun: false, concurrency: 16 })
export class MetricsRollupQueueProcessor extends QueueProcessor {
  readonly queue = MetricsRollupQueue.name;
}
