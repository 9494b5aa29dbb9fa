import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { assertPending } from '../../domain/suggestion';
import { SuggestionsRepository } from '../../repositories/suggestions.repository';
import type { SuggestionView } from '../../repositories/suggestions.sql';
import { recordDecision } from '../shared/suggestions';
import { RejectSuggestionCommand } from './reject-suggestion.command';

/** Records that the agent did not use the suggestion (and why, if they said); the ticket is untouched. */
@CommandHandler(RejectSuggestionCommand)
export class RejectSuggestionHandler implements ICommandHandler<RejectSuggestionCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly suggestions: SuggestionsRepository,
  ) {}

  execute({ context, ticketId, suggestionId, reason }: RejectSuggestionCommand): Promise<SuggestionView> {
    return this.tx.run(context, async (tx) => {
      const suggestion = await this.suggestions.findForUpdate(tx, ticketId, suggestionId);
      if (!suggestion) throw notFound('AI suggestion', suggestionId);
      assertPending(suggestion);
      return recordDecision(tx, this.suggestions, suggestion, 'rejected', reason?.trim() || null, null);
    });
  }
}
