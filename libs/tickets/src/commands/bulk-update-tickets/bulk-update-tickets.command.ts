import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { TicketView } from '../../repositories/tickets.sql';
import type { TicketChanges } from '../update-ticket/update-ticket.command';

export const MAX_BULK_TICKETS = 100;

/** The same changes to up to 100 tickets, all or nothing. */
export class BulkUpdateTicketsCommand extends Command<TicketView[]> {
  constructor(
    readonly context: CommandContext,
    readonly ticketIds: string[],
    readonly changes: TicketChanges,
  ) {
    super();
  }
}
