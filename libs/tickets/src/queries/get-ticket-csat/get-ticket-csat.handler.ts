import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { CsatRepository, type CsatView } from '../../repositories/csat.repository';
import { TicketsRepository } from '../../repositories/tickets.repository';
import { GetTicketCsatQuery } from './get-ticket-csat.query';

/** The ticket's survey and rating; 404 for a ticket of another tenant or none. */
@QueryHandler(GetTicketCsatQuery)
export class GetTicketCsatHandler implements IQueryHandler<GetTicketCsatQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly tickets: TicketsRepository,
    private readonly csat: CsatRepository,
  ) {}

  execute({ tenantId, ticketId }: GetTicketCsatQuery): Promise<{ csat: CsatView | null }> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      if (!(await this.tickets.find(tx, ticketId))) throw notFound('Ticket', ticketId);
      return { csat: (await this.csat.find(tx, ticketId)) ?? null };
    });
  }
}
