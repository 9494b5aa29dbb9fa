import { Processor } from '@nestjs/bullmq';
import { QueueProcessor } from '@switchboard/platform';

@Processor('tenancy', { autorun: false, concurrency: 1 })
export class TenancyQueueProcessor extends QueueProcessor {
  readonly queue = 'tenancy' as const;
}
