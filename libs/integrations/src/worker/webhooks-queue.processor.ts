import { Processor } from '@nestjs/bullmq';
import { QueueProcessor } from '@switchboard/platform';
import { WebhooksQueue } from '../integrations.context';

// Deliveries wait on remote receivers (up to the timeout each): several at a time.
@Processor('webhooks', { autorun: false, concurrency: 8 })
export class WebhooksQueueProcessor extends QueueProcessor {
  readonly queue = WebhooksQueue.name;
}
