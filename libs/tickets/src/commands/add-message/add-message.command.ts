import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';

export interface MessageView {
  id: string;
  ticketId: string;
  visibility: 'public' | 'internal';
  authorType: 'agent' | 'contact' | 'system';
  authorId: string | null;
  body: string;
  html: string | null;
  createdAt: string;
}

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
