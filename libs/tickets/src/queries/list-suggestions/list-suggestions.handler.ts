import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { decodeCursor, notFound, TenantTransaction, toPage, type Page } from '@switchboard/platform';
import { listSuggestionRows, loadSuggestion, SUGGESTION_COLUMNS, type SuggestionView } from '../../repositories/suggestions.sql';
import { loadTicket } from '../../repositories/tickets.sql';
import { GetSuggestionQuery, ListSuggestionsQuery } from './list-suggestions.query';

@QueryHandler(ListSuggestionsQuery)
export class ListSuggestionsHandler implements IQueryHandler<ListSuggestionsQuery> {
  constructor(private readonly tx: TenantTransaction) {}

  execute({ tenantId, ticketId, page, filter }: ListSuggestionsQuery): Promise<Page<SuggestionView>> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      if (!(await loadTicket(tx.manager, tenantId, ticketId))) throw notFound('Ticket', ticketId);
      const params: unknown[] = [tenantId, ticketId, page.limit + 1];
      let where = '';
      if (filter.kind) where += ` AND kind = $${params.push(filter.kind)}`;
      if (filter.status) where += ` AND status = $${params.push(filter.status)}`;
      if (page.cursor) {
        const [at, id] = decodeCursor(page.cursor, 2);
        where += ` AND (created_at, id) < ($${params.push(at)}::timestamptz, $${params.push(id)}::uuid)`;
      }
      const rows = await listSuggestionRows(
        tx.manager,
        `SELECT ${SUGGESTION_COLUMNS} FROM ticket_ai_suggestions WHERE tenant_id = $1 AND ticket_id = $2${where} ORDER BY created_at DESC, id DESC LIMIT $3`,
        params,
      );
      return toPage(rows, page.limit, (s) => [s.createdAt, s.id]);
    });
  }
}

@QueryHandler(GetSuggestionQuery)
export class GetSuggestionHandler implements IQueryHandler<GetSuggestionQuery> {
  constructor(private readonly tx: TenantTransaction) {}

  execute({ tenantId, ticketId, suggestionId }: GetSuggestionQuery): Promise<SuggestionView> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, (tx) => loadSuggestion(tx.manager, tenantId, ticketId, suggestionId));
  }
}
