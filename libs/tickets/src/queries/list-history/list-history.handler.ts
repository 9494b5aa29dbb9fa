import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { decodeCursor, notFound, TenantTransaction, toPage, type Page } from '@switchboard/platform';
import { TicketsRepository } from '../../repositories/tickets.repository';
import type { HistoryEntry } from '../../repositories/tickets.sql';
import { ListHistoryQuery } from './list-history.query';

/** Every change of the ticket, newest first. */
@QueryHandler(ListHistoryQuery)
export class ListHistoryHandler implements IQueryHandler<ListHistoryQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly tickets: TicketsRepository,
  ) {}

  execute({ tenantId, ticketId, page, field }: ListHistoryQuery): Promise<Page<HistoryEntry>> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      if (!(await this.tickets.find(tx, ticketId))) throw notFound('Ticket', ticketId);
      const before = page.cursor ? (decodeCursor(page.cursor, 1)[0] as string | number) : undefined;
      const rows = await this.tickets.history(tx, ticketId, { limit: page.limit, before, field });
      const { data, nextCursor } = toPage(rows, page.limit, (r) => [r.position]);
      return { data: data.map((r) => r.entry), nextCursor };
    });
  }
}
