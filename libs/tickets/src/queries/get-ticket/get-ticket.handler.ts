import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { loadTicket, type TicketView } from '../../repositories/tickets.sql';
import { GetTicketQuery } from './get-ticket.query';

@QueryHandler(GetTicketQuery)
export class GetTicketHandler implements IQueryHandler<GetTicketQuery> {
  constructor(private readonly tx: TenantTransaction) {}

  execute({ tenantId, ticketId }: GetTicketQuery): Promise<TicketView> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      const ticket = await loadTicket(tx.manager, tenantId, ticketId);
      if (!ticket) throw notFound('Ticket', ticketId);
      return ticket;
    });
  }
}
