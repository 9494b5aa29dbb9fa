import { Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, ProblemException, QueueRegistry, TenantTransaction } from '@switchboard/platform';
import { ChannelDeliveryUpdated, DeliverMessage } from '../../channels.registration';
import { ChannelsRepository, type DeliveryView } from '../../repositories/channels.repository';
import { RetryDeliveryCommand } from './retry-delivery.command';

@CommandHandler(RetryDeliveryCommand)
export class RetryDeliveryHandler implements ICommandHandler<RetryDeliveryCommand> {
  private readonly logger = new Logger(RetryDeliveryHandler.name);

  constructor(
    private readonly tx: TenantTransaction,
    private readonly channels: ChannelsRepository,
    private readonly queues: QueueRegistry,
  ) {}

  async execute({ context, deliveryId }: RetryDeliveryCommand): Promise<DeliveryView> {
    const view = await this.tx.run(context, async (tx) => {
      const current = await this.channels.findDelivery(tx, deliveryId);
      if (!current) throw notFound('Delivery', deliveryId);
      if (current.status !== 'failed') {
        throw new ProblemException({ status: 409, type: 'delivery-not-failed', title: 'Conflict', detail: `Only a failed delivery can be retried; this one is ${current.status}.` });
      }
      const queued = (await this.channels.settleDelivery(tx, deliveryId, ['failed'], { status: 'queued', error: null, nextAttemptAt: new Date() }))!;
      await tx.audit({ action: 'channel.delivery_retried', entityType: 'channel_delivery', entityId: deliveryId, before: { status: current.status, error: current.error, attempts: current.attempts }, after: { status: queued.status, attempts: queued.attempts } });
      await tx.emit(ChannelDeliveryUpdated.of(queued.ticketId, { deliveryId, messageId: queued.ticketMessageId, channelId: queued.channelId, status: 'queued', attempts: queued.attempts, error: null }));
      return queued;
    });
    await this.queues
      .schedule(DeliverMessage, { tenantId: context.tenantId, deliveryId }, { key: deliveryId, runAt: new Date() })
      .catch((error: unknown) => this.logger.warn({ deliveryId, error: String(error) }, 'Retry not queued; the sweep will'));
    return view;
  }
}
