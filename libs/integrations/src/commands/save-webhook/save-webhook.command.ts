import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { EndpointView } from '../../repositories/webhooks.sql';

export interface WebhookInput {
  url?: string;
  description?: string | null;
  eventTypes?: string[];
  active?: boolean;
}

/** What creating an endpoint answers: the secret, shown this once. */
export interface CreatedWebhook {
  endpoint: EndpointView;
  secret: string;
}

/** Creates an endpoint (`endpointId` null; the answer carries its new secret) or changes one. */
export class SaveWebhookCommand extends Command<CreatedWebhook | EndpointView> {
  constructor(
    readonly context: CommandContext,
    readonly endpointId: string | null,
    readonly input: WebhookInput,
    readonly expectedVersion: number | null = null,
  ) {
    super();
  }
}
