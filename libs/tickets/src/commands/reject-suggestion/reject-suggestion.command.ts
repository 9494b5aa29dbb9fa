import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { SuggestionView } from '../../repositories/suggestions.sql';

export class RejectSuggestionCommand extends Command<SuggestionView> {
  constructor(
    readonly context: CommandContext,
    readonly ticketId: string,
    readonly suggestionId: string,
    readonly reason: string | null,
  ) {
    super();
  }
}
