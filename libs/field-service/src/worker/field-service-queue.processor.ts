import { Processor } from '@nestjs/bullmq';
import { QueueProcessor } from '@switchboard/platform';
import { FieldServiceQueue } from '../field-service.context';

@Processor('field-service', { autorun: false, concurrency: 5 })
export class FieldServiceQueueProcessor extends QueueProcessor {
  readonly queue = FieldServiceQueue.name;
}
