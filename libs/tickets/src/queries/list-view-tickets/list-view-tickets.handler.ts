import { QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Page } from '@switchboard/platform';
import { resolveViewFilter } from '../../domain/views';
import type { TicketView } from '../../repositories/tickets.sql';
import { ListTicketsQuery } from '../list-tickets/list-tickets.query';
import { ListViewsQuery } from '../list-views/list-views.query';
import { ListViewTicketsQuery } from './list-view-tickets.query';

/** A view's tickets are the ticket list with the view's filter (resolved for the caller, now) and sort. */
@QueryHandler(ListViewTicketsQuery)
export class ListViewTicketsHandler implements IQueryHandler<ListViewTicketsQuery> {
  constructor(private readonly queries: QueryBus) {}

  async execute({ tenantId, userId, configures, viewId, page }: ListViewTicketsQuery): Promise<Page<TicketView>> {
    const [view] = await this.queries.execute(new ListViewsQuery(tenantId, userId, configures, viewId));
    const conditions = resolveViewFilter(view.filter, userId);
    // The list resolves the custom field conditions and sort against the tenant's fields (a deleted field is a 422 naming it).
    return this.queries.execute(new ListTicketsQuery(tenantId, { ...conditions, field: view.filter.field, sort: view.sort, order: view.order, limit: page.limit, cursor: page.cursor }));
  }
}
