import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { SuggestionView } from '../../repositories/suggestions.sql';

/** Asks the routed model for a summary of the ticket; stored as a pending suggestion. */
export class SummarizeTicketCommand extends Command<SuggestionView> {
  constructor(
    readonly context: CommandContext,
    readonly ticketId: string,
  ) {
    super();
  }
}
