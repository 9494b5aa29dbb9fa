import { Command } from '@nestjs/cqrs';
import type { DeliveryView } from '../../repositories/webhooks.sql';

/** One attempt of a pending delivery (the worker's job); nothing when it is not pending. */
export class DeliverWebhookCommand extends Command<DeliveryView | undefined> {
  constructor(
    readonly tenantId: string,
    readonly deliveryId: string,
  ) {
    super();
  }
}
