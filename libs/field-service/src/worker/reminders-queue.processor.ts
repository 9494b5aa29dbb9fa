import { Processor } from '@nestjs/bullmq';
import { QueueProcessor } from '@switchboard/platform';
import { RemindersQueue } from '../field-service.context';

@Processor('reminders', { autorun: false, concurrency: 5 })
export class RemindersQueueProcessor extends QueueProcessor {
  readonly queue = RemindersQueue.name;
}
