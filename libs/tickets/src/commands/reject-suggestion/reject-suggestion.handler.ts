import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { assertPending, loadSuggestion, recordDecision, type SuggestionView } from '../../repositories/suggestions.sql';
import { RejectSuggestionCommand } from './reject-suggestion.command';

/** Records that the agent did not use the suggestion (and why, if they said); the ticket is untouched. */
@CommandHandler(RejectSuggestionCommand)
export class RejectSuggestionHandler implements ICommandHandler<RejectSuggestionCommand> {
  constructor(private readonly tx: TenantTransaction) {}

  execute({ context, ticketId, suggestionId, reason }: RejectSuggestionCommand): Promise<SuggestionView> {
    return this.tx.run(context, async (tx) => {
      const suggestion = await loadSuggestion(tx.manager, context.tenantId, ticketId, suggestionId, true);
      assertPending(suggestion);
      return recordDecision(tx, suggestion, 'rejected', reason?.trim() || null, null);
    });
  }
}
