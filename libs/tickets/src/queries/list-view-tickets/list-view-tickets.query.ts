import { Query } from '@nestjs/cqrs';
import type { Page } from '@switchboard/platform';
import type { TicketView } from '../../repositories/tickets.sql';

/** A view's tickets, a page at a time (the same keyset cursor as `GET /v1/tickets`). */
export class ListViewTicketsQuery extends Query<Page<TicketView>> {
  constructor(
    readonly tenantId: string,
    readonly userId: string | null,
    readonly configures: boolean,
    readonly viewId: string,
    readonly page: { limit: number; cursor?: string },
  ) {
    super();
  }
}
