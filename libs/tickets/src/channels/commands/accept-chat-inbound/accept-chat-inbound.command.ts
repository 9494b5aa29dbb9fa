import { Command } from '@nestjs/cqrs';

/** What a chat webhook answered: the stored inbound row, or that the update was a duplicate or carried nothing to keep. */
export interface AcceptedChatUpdate {
  id: string | null;
  duplicate: boolean;
  ignored: boolean;
}

/**
 * Verifies a chat provider's webhook call for one channel and stores the update durably, once per
 * provider id; the worker turns it into ticket activity. The tenant comes from the channel.
 */
export class AcceptChatInboundCommand extends Command<AcceptedChatUpdate> {
  constructor(
    readonly channelId: string,
    readonly kind: 'telegram',
    readonly body: unknown,
    /** Telegram: the X-Telegram-Bot-Api-Secret-Token header. */
    readonly secretToken: string | undefined,
    readonly correlationId: string | null = null,
  ) {
    super();
  }
}
