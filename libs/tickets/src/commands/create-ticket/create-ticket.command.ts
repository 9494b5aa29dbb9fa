import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { TicketView } from '../../repositories/tickets.sql';

export interface CreateTicketInput {
  subject: string;
  description?: string;
  priority?: string;
  type?: string;
  channel?: string;
  requesterId?: string;
  requester?: { email: string; name?: string };
  assigneeId?: string;
  groupId?: string;
  tags?: string[];
  dueAt?: string;
  externalId?: string;
}

export class CreateTicketCommand extends Command<TicketView> {
  constructor(
    readonly context: CommandContext,
    readonly input: CreateTicketInput,
  ) {
    super();
  }
}
