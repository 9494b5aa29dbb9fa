import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { decodeCursor, encodeCursor, TenantTransaction } from '@switchboard/platform';
import { TicketsRepository } from '../../repositories/tickets.repository';
import { ExportTicketsQuery, type ExportPage } from './export-tickets.query';

const EPOCH = '1970-01-01T00:00:00.000Z';
const NIL = '00000000-0000-0000-0000-000000000000';

/**
 * Incremental export by (updated_at, id): a ticket changed again later appears again later, so a
 * consumer that keeps the last cursor never misses a change. The cursor stays valid after the
 * end of the stream, for the next poll.
 */
@QueryHandler(ExportTicketsQuery)
export class ExportTicketsHandler implements IQueryHandler<ExportTicketsQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly tickets: TicketsRepository,
  ) {}

  execute({ tenantId, since, cursor, limit }: ExportTicketsQuery): Promise<ExportPage> {
    // The first call starts at `since` inclusive; a cursor continues strictly after its position.
    const from = cursor ? (decodeCursor(cursor, 2) as [string, string]) : ([since ?? EPOCH, NIL] as const);
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      const data = await this.tickets.changedSince(tx, from, !cursor, limit);
      const last = data[data.length - 1];
      return {
        data,
        nextCursor: last ? encodeCursor([last.updatedAt, last.id]) : (cursor ?? encodeCursor([since ?? EPOCH, NIL])),
        endOfStream: data.length < limit,
      };
    });
  }
}
