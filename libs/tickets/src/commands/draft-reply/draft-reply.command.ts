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

/** A help-center passage a draft is grounded in, as stored on the suggestion. */
export interface DraftPassage {
  articleId: string;
  title: string;
  heading: string;
  slug: string;
  chunkId: string;
  /** Plain text of the best matching part of the article. */
  text: string;
}
