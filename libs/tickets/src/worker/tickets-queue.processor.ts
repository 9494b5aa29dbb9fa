import { Processor } from '@nestjs/bullmq';
import { QueueProcessor } from '@switchboard/platform';
import { TicketsQueue } from '../tickets.context';

@Processor('tickets', { autorun: false, concurrency: 5 })
export class TicketsQueueProcessor extends QueueProcessor {
  readonly queue = TicketsQueue.name;
}
