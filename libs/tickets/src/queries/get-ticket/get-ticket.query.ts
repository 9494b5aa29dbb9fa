import { Query } from '@nestjs/cqrs';
import type { TicketView } from '../../repositories/tickets.sql';

export class GetTicketQuery extends Query<TicketView> {
  constructor(
    readonly tenantId: string,
    readonly ticketId: string,
  ) {
    super();
  }
}
