import { Processor } from '@nestjs/bullmq';
import { QueueProcessor } from '@switchboard/platform';
import { TenancyQueue } from '../tenancy.context';

@Processor('tenancy', { autorun: false, concurrency: 1 })
export class TenancyQueueProcessor extends QueueProcessor {
  readonly queue = TenancyQueue.name;
}
