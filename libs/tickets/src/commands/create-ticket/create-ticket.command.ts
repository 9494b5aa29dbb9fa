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
  /** A live ticket form; without one the tenant's default form applies (if it has one). */
  formId?: string;
  /** Custom field values by field key, checked against the fields and the form. */
  fields?: Record<string, unknown>;
}

export class CreateTicketCommand extends Command<TicketView> {
  constructor(
    readonly context: CommandContext,
    readonly input: CreateTicketInput,
  ) {
    super();
  }
}
