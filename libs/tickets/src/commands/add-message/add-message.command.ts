import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { MessageView } from '../../repositories/messages.sql';

export interface NewMessage {
  body: string;
  html?: string;
  visibility: 'public' | 'internal';
  /** `requester` records a reply on the customer's behalf (e.g. from an integration). */
  author: 'agent' | 'requester';
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
