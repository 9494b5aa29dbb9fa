import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { DeliveryView } from '../../repositories/webhooks.sql';

/** Sends a logged delivery again (same Webhook-Id and body), with a fresh 24 h of retries. */
export class RedeliverWebhookCommand extends Command<DeliveryView> {
  constructor(
    readonly context: CommandContext,
    readonly endpointId: string,
    readonly deliveryId: string,
  ) {
    super();
  }
}
