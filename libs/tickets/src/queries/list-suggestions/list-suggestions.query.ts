import { Query } from '@nestjs/cqrs';
import type { Page } from '@switchboard/platform';
import type { SuggestionKind, SuggestionStatus, SuggestionView } from '../../repositories/suggestions.sql';

/** A ticket's AI suggestions, newest first. */
export class ListSuggestionsQuery extends Query<Page<SuggestionView>> {
  constructor(
    readonly tenantId: string,
    readonly ticketId: string,
    readonly page: { limit: number; cursor?: string },
    readonly filter: { kind?: SuggestionKind; status?: SuggestionStatus } = {},
  ) {
    super();
  }
}

export class GetSuggestionQuery extends Query<SuggestionView> {
  constructor(
    readonly tenantId: string,
    readonly ticketId: string,
    readonly suggestionId: string,
  ) {
    super();
  }
}
