import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { Status } from '../../domain/ticket';
import type { TicketView } from '../../repositories/tickets.sql';

export interface TicketChanges {
  subject?: string;
  status?: Status;
  /** One of the tenant's active custom statuses (its category becomes `status`), or null for the category's default. */
  customStatusId?: string | null;
  priority?: string;
  type?: string;
  assigneeId?: string | null;
  groupId?: string | null;
  tags?: string[];
  dueAt?: string | null;
  externalId?: string | null;
  /** Another live ticket form, or null for none. */
  formId?: string | null;
  /** Custom field values to set, by key; null clears one. Keys not named keep their values. */
  fields?: Record<string, unknown>;
}

export class UpdateTicketCommand extends Command<TicketView> {
  constructor(
    readonly context: CommandContext,
    readonly ticketId: string,
    readonly changes: TicketChanges,
    /** Required from HTTP (tickets are edited by many agents at once, so a blind write is refused); null is `If-Match: *`, any current version. */
    readonly expectedVersion: number | null,
  ) {
    super();
  }
}
