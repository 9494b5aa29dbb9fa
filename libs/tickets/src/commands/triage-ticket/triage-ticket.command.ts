import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { SuggestionView } from '../../repositories/suggestions.sql';

/** Asks the routed model for a priority, tags and group, each with a confidence. */
export class TriageTicketCommand extends Command<SuggestionView> {
  constructor(
    readonly context: CommandContext,
    readonly ticketId: string,
  ) {
    super();
  }
}
