import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';

/** Deletes an endpoint with its delivery log. */
export class DeleteWebhookCommand extends Command<void> {
  constructor(
    readonly context: CommandContext,
    readonly endpointId: string,
  ) {
    super();
  }
}
