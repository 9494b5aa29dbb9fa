import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { decodeCursor, TenantTransaction, toPage, type Page } from '@switchboard/platform';
import { TicketsRepository } from '../../repositories/tickets.repository';
import type { TicketView } from '../../repositories/tickets.sql';
import { ListTicketsQuery } from './list-tickets.query';

/** Filtered, sorted, keyset-paginated tickets; `q` searches the subject and every message (see ticketSql.list). */
@QueryHandler(ListTicketsQuery)
export class ListTicketsHandler implements IQueryHandler<ListTicketsQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly tickets: TicketsRepository,
  ) {}

  execute({ tenantId, filter }: ListTicketsQuery): Promise<Page<TicketView>> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      const { cursor, ...criteria } = filter;
      const after = cursor ? (decodeCursor(cursor, 2) as [string, string]) : undefined;
      const rows = await this.tickets.list(tx, { ...criteria, after });
      return toPage(rows, filter.limit, (t) => [filter.sort === 'updatedAt' ? t.updatedAt : t.createdAt, t.id]);
    });
  }
}
