import { Query } from '@nestjs/cqrs';
import type { CsatView } from '../../repositories/csat.repository';

/** A ticket's survey (null when none was offered yet). */
export class GetTicketCsatQuery extends Query<{ csat: CsatView | null }> {
  constructor(
    readonly tenantId: string,
    readonly ticketId: string,
  ) {
    super();
  }
}
