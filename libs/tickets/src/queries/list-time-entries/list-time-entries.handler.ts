import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { decodeCursor, notFound, TenantTransaction, toPage } from '@switchboard/platform';
import { TicketsRepository } from '../../repositories/tickets.repository';
import { TimeRepository } from '../../repositories/time.repository';
import { ListTimeEntriesQuery, type TimeEntryPage } from './list-time-entries.query';

/** A ticket's time entries by when the work happened, with the ticket's totals (all entries, not just the page). */
@QueryHandler(ListTimeEntriesQuery)
export class ListTimeEntriesHandler implements IQueryHandler<ListTimeEntriesQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly tickets: TicketsRepository,
    private readonly time: TimeRepository,
  ) {}

  execute({ tenantId, ticketId, page }: ListTimeEntriesQuery): Promise<TimeEntryPage> {
    const after = page.cursor ? (decodeCursor(page.cursor, 2) as [string, string]) : undefined;
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      if (!(await this.tickets.find(tx, ticketId))) throw notFound('Ticket', ticketId);
      const [rows, totals] = await Promise.all([this.time.page(tx, ticketId, { limit: page.limit, after }), this.time.ticketTotals(tx, ticketId)]);
      return { ...toPage(rows, page.limit, (e) => [e.workedAt, e.id]), totals };
    });
  }
}
