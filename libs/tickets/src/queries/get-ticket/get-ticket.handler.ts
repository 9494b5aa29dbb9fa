import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { TicketsRepository } from '../../repositories/tickets.repository';
import type { TicketView } from '../../repositories/tickets.sql';
import { GetTicketQuery } from './get-ticket.query';

@QueryHandler(GetTicketQuery)
export class GetTicketHandler implements IQueryHandler<GetTicketQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly tickets: TicketsRepository,
  ) {}

  execute({ tenantId, ticketId }: GetTicketQuery): Promise<TicketView> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      const ticket = await this.tickets.find(tx, ticketId);
      if (!ticket) throw notFound('Ticket', ticketId);
      return ticket;
    });
  }
}
