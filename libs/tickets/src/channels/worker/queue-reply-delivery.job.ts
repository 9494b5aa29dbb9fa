import { Logger } from '@nestjs/common';
import { EventConsumer, OnEventSelfAcknowledged, QueueRegistry, type EnvelopeOf, type SelfAcknowledgingEventHandler } from '@switchboard/platform';
import { MessageAdded } from '../../tickets.context';
import { isChatKind } from '../domain/channel-config';
import { ChannelDeliveryQueue, ChannelDeliveryUpdated, DeliverMessage } from '../channels.registration';
import { ChannelsRepository, type DeliveryView } from '../repositories/channels.repository';

/**
 * Every public agent reply on a ticket that lives on a channel leaves through it: the committed
 * MessageAdded queues one delivery (unique per message, and once per event by the receipt), then
 * the delivery job is queued after commit (the sweep queues it should that fail).
 */
@OnEventSelfAcknowledged(MessageAdded, { queue: ChannelDeliveryQueue, job: 'channels.queue-reply' })
export class QueueReplyDeliveryJob implements SelfAcknowledgingEventHandler<typeof MessageAdded> {
  private readonly logger = new Logger(QueueReplyDeliveryJob.name);

  constructor(
    private readonly consumer: EventConsumer,
    private readonly channels: ChannelsRepository,
    private readonly queues: QueueRegistry,
  ) {}

  async handle(event: EnvelopeOf<typeof MessageAdded>, consumer: string): Promise<void> {
    const { message } = event.payload;
    let queued: DeliveryView | undefined;
    await this.consumer.once(consumer, event, async (tx) => {
      if (message.visibility !== 'public' || message.authorType !== 'agent') return;
      const conversation = await this.channels.conversation(tx, event.aggregateId);
      if (!conversation) return;
      const channel = await this.channels.findChannel(tx, conversation.channelId);
      if (!channel || (channel.kind !== 'email' && channel.kind !== 'web' && !isChatKind(channel.kind))) return;
      queued = await this.channels.insertDelivery(tx, { channelId: channel.id, ticketId: event.aggregateId, ticketMessageId: message.id, recipient: conversation.contactAddress });
      if (queued) {
        await tx.emit(ChannelDeliveryUpdated.of(event.aggregateId, { deliveryId: queued.id, messageId: message.id, channelId: channel.id, status: 'queued', attempts: 0, error: null }));
      }
    });
    if (queued) {
      await this.queues
        .schedule(DeliverMessage, { tenantId: event.tenantId, deliveryId: queued.id }, { key: queued.id, runAt: new Date() })
        .catch((error: unknown) => this.logger.warn({ deliveryId: queued!.id, error: String(error) }, 'Delivery not queued; the sweep will'));
    }
  }
}
