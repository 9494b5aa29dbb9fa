import { Processor } from '@nestjs/bullmq';
import { QueueProcessor } from './queue-processor';

@Processor('outbox', { autorun: false })
export class OutboxQueueProcessor extends QueueProcessor {
  readonly queue = 'outbox' as const;
}

@Processor('platform', { autorun: false, concurrency: 10 })
export class PlatformQueueProcessor extends QueueProcessor {
  readonly queue = 'platform' as const;
}

@Processor('realtime', { autorun: false, concurrency: 20 })
export class RealtimeQueueProcessor extends QueueProcessor {
  readonly queue = 'realtime' as const;
}
