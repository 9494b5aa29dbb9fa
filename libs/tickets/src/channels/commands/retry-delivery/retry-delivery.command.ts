import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { DeliveryView } from '../../repositories/channels.repository';

/** Takes a failed (dead-lettered) delivery back into the queue, attempts counted from zero. */
export class RetryDeliveryCommand extends Command<DeliveryView> {
  constructor(
    readonly context: CommandContext,
    readonly deliveryId: string,
  ) {
    super();
  }
}
