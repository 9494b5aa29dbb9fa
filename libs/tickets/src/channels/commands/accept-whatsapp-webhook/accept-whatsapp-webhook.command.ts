import { Command } from '@nestjs/cqrs';

/** What the WhatsApp webhook answered: messages stored (new ones' ids), replays, statuses applied, items for another number. */
export interface AcceptedWhatsAppWebhook {
  stored: string[];
  duplicates: number;
  statuses: number;
  ignored: number;
}

/**
 * Verifies a Cloud API webhook (X-Hub-Signature-256 over the raw body) for one channel, stores
 * each message once per wamid and applies delivery statuses. The tenant comes from the channel.
 */
export class AcceptWhatsAppWebhookCommand extends Command<AcceptedWhatsAppWebhook> {
  constructor(
    readonly channelId: string,
    readonly raw: Buffer,
    readonly body: unknown,
    readonly signature: string | undefined,
    readonly correlationId: string | null = null,
  ) {
    super();
  }
}
