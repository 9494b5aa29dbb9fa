import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { decodeCursor, notFound, TenantTransaction, toPage, type Page } from '@switchboard/platform';
import { SuggestionsRepository } from '../../repositories/suggestions.repository';
import type { SuggestionView } from '../../repositories/suggestions.sql';
import { TicketsRepository } from '../../repositories/tickets.repository';
import { GetSuggestionQuery, ListSuggestionsQuery } from './list-suggestions.query';

@QueryHandler(ListSuggestionsQuery)
export class ListSuggestionsHandler implements IQueryHandler<ListSuggestionsQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly tickets: TicketsRepository,
    private readonly suggestions: SuggestionsRepository,
  ) {}

  execute({ tenantId, ticketId, page, filter }: ListSuggestionsQuery): Promise<Page<SuggestionView>> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      if (!(await this.tickets.find(tx, ticketId))) throw notFound('Ticket', ticketId);
      const before = page.cursor ? (decodeCursor(page.cursor, 2) as [string, string]) : undefined;
      const rows = await this.suggestions.page(tx, ticketId, { limit: page.limit, kind: filter.kind, status: filter.status, before });
      return toPage(rows, page.limit, (s) => [s.createdAt, s.id]);
    });
  }
}

@QueryHandler(GetSuggestionQuery)
export class GetSuggestionHandler implements IQueryHandler<GetSuggestionQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly suggestions: SuggestionsRepository,
  ) {}

  execute({ tenantId, ticketId, suggestionId }: GetSuggestionQuery): Promise<SuggestionView> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      const suggestion = await this.suggestions.find(tx, ticketId, suggestionId);
      if (!suggestion) throw notFound('AI suggestion', suggestionId);
      return suggestion;
    });
  }
}
