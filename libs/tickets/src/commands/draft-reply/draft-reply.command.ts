import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { SuggestionView } from '../../repositories/suggestions.sql';

/** Asks the routed model for a reply to the customer, grounded in the tenant's public help center. */
export class DraftReplyCommand extends Command<SuggestionView> {
  constructor(
    readonly context: CommandContext,
    readonly ticketId: string,
  ) {
    super();
  }
}
