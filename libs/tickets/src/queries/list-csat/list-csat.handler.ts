import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { decodeCursor, ProblemException, TenantTransaction, toPage } from '@switchboard/platform';
import { CsatRepository } from '../../repositories/csat.repository';
import { ListCsatQuery, type CsatReport } from './list-csat.query';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A cursor this list issued: (rated_at, ticket id); anything else is a 400, never a database error. */
function validCursor(values: unknown[]): [string, string] {
  const [at, id] = values;
  if (typeof at !== 'string' || Number.isNaN(Date.parse(at)) || typeof id !== 'string' || !UUID.test(id)) {
    throw new ProblemException({ status: 400, type: 'invalid-cursor', title: 'Bad Request', detail: 'The cursor is invalid; start again without it.', errors: [{ field: 'cursor', message: 'is invalid' }] });
  }
  return [at, id];
}

/** Ratings given in a range (newest first, keyset pages) with the range's totals and response rate. */
@QueryHandler(ListCsatQuery)
export class ListCsatHandler implements IQueryHandler<ListCsatQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly csat: CsatRepository,
  ) {}

  execute({ tenantId, filter, page }: ListCsatQuery): Promise<CsatReport> {
    const after = page.cursor ? validCursor(decodeCursor(page.cursor, 2)) : undefined;
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      const rows = await this.csat.page(tx, filter, { limit: page.limit, after });
      const totals = await this.csat.totals(tx, filter);
      return { ...toPage(rows, page.limit, (r) => [r.ratedAt!, r.ticketId]), from: filter.from, to: filter.to, totals };
    });
  }
}
