import { Processor } from '@nestjs/bullmq';
import { QueueProcessor } from '@switchboard/platform';

@Processor('tickets', { autorun: false, concurrency: 5 })
export class TicketsQueueProcessor extends QueueProcessor {
  readonly queue = 'tickets' as const;
}
