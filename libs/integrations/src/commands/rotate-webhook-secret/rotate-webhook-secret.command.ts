import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { CreatedWebhook } from '../save-webhook/save-webhook.command';

/** A new secret, shown once; the previous one keeps signing (beside it) for 24 h. */
export class RotateWebhookSecretCommand extends Command<CreatedWebhook> {
  constructor(
    readonly context: CommandContext,
    readonly endpointId: string,
  ) {
    super();
  }
}
