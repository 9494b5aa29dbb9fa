import { Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, ProblemException, QueueRegistry, TenantTransaction } from '@switchboard/platform';
import { DeliverWebhook } from '../../integrations.context';
import { WebhooksRepository } from '../../repositories/webhooks.repository';
import type { DeliveryView } from '../../repositories/webhooks.sql';
import { RedeliverWebhookCommand } from './redeliver-webhook.command';

/**
 * Puts a delivery back to pending, due now, and queues its job after commit (should queueing fail,
 * the sweep finds it due). A disabled endpoint is turned on first (409), and a delivery in flight
 * is left alone (409).
 */
@CommandHandler(RedeliverWebhookCommand)
export class RedeliverWebhookHandler implements ICommandHandler<RedeliverWebhookCommand> {
  private readonly logger = new Logger(RedeliverWebhookHandler.name);

  constructor(
    private readonly tx: TenantTransaction,
    private readonly webhooks: WebhooksRepository,
    private readonly queues: QueueRegistry,
  ) {}

  async execute({ context, endpointId, deliveryId }: RedeliverWebhookCommand): Promise<DeliveryView> {
    const delivery = await this.tx.run(context, async (tx) => {
      const endpoint = await this.webhooks.findEndpoint(tx, endpointId);
      if (!endpoint) throw notFound('Webhook endpoint', endpointId);
      const existing = await this.webhooks.findDelivery(tx, deliveryId, endpointId);
      if (!existing) throw notFound('Webhook delivery', deliveryId);
      if (!endpoint.active) throw conflict('The endpoint is disabled; turn it on (PATCH active: true) before redelivering.');
      const requeued = await this.webhooks.requeueDelivery(tx, deliveryId, endpointId);
      if (!requeued) throw conflict('The delivery is being sent right now; try again when it has settled.');
      await tx.audit({ action: 'webhook_delivery.redelivered', entityType: 'webhook_delivery', entityId: deliveryId, before: { status: existing.status, attempts: existing.attempts }, after: { status: 'pending' } });
      return requeued;
    });
    await this.queues
      .schedule(DeliverWebhook, { tenantId: context.tenantId, deliveryId }, { key: deliveryId, runAt: new Date() })
      .catch((error: unknown) => this.logger.warn({ deliveryId, error: String(error) }, 'Redelivery not queued; the sweep will'));
    return delivery;
  }
}

const conflict = (detail: string) => new ProblemException({ status: 409, type: 'conflict', title: 'Conflict', detail });
