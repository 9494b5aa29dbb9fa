import { Command } from '@nestjs/cqrs';
import type { DeliveryView } from '../../repositories/channels.repository';

/** The worker's step: one attempt at delivering one queued reply. */
export class DeliverMessageCommand extends Command<DeliveryView | undefined> {
  constructor(
    readonly tenantId: string,
    readonly deliveryId: string,
  ) {
    super();
  }
}
