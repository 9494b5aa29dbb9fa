import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { MessageView } from '../../../repositories/messages.sql';
import type { WhatsAppTemplate } from '../../adapters/whatsapp.adapter';

/**
 * An approved WhatsApp template as the agent's public reply on a ticket whose conversation is on
 * WhatsApp: the only message WhatsApp delivers outside the 24-hour customer window. `body` is what
 * agents see on the ticket.
 */
export class SendWhatsAppTemplateCommand extends Command<MessageView> {
  constructor(
    readonly context: CommandContext,
    readonly ticketId: string,
    readonly template: WhatsAppTemplate,
    readonly body: string,
  ) {
    super();
  }
}
