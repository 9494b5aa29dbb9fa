import { Processor } from '@nestjs/bullmq';
import { QueueProcessor } from '@switchboard/platform';
import { ChannelDeliveryQueue, ChannelInboundQueue } from '../channels.registration';

@Processor('channel-inbound', { autorun: false, concurrency: 5 })
export class ChannelInboundProcessor extends QueueProcessor {
  readonly queue = ChannelInboundQueue.name;
}

@Processor('channel-delivery', { autorun: false, concurrency: 10 })
export class ChannelDeliveryProcessor extends QueueProcessor {
  readonly queue = ChannelDeliveryQueue.name;
}
