import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { MessageView } from '../../repositories/messages.sql';

export interface NewMessage {
  body: string;
  html?: string;
  visibility: 'public' | 'internal';
  /** `requester` records a reply on the customer's behalf (e.g. from an integration). */
  author: 'agent' | 'requester';
  /** With `requester`: the contact who wrote (an inbound channel's sender); defaults to the ticket's requester. */
  contactId?: string;
  /** A WhatsApp template message (sent by the channels' template route): allowed outside the 24-hour customer window. */
  template?: boolean;
}

export class AddMessageCommand extends Command<MessageView> {
  constructor(
    readonly context: CommandContext,
    readonly ticketId: string,
    readonly message: NewMessage,
  ) {
    super();
  }
}
