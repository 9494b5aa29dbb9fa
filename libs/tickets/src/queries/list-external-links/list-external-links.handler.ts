import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { ExternalLinksRepository } from '../../repositories/external-links.repository';
import type { ExternalLinkView } from '../../repositories/external-links.sql';
import { TicketsRepository } from '../../repositories/tickets.repository';
import { ListExternalLinksQuery } from './list-external-links.query';

@QueryHandler(ListExternalLinksQuery)
export class ListExternalLinksHandler implements IQueryHandler<ListExternalLinksQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly tickets: TicketsRepository,
    private readonly links: ExternalLinksRepository,
  ) {}

  execute({ tenantId, ticketId }: ListExternalLinksQuery): Promise<{ data: ExternalLinkView[] }> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      if (!(await this.tickets.find(tx, ticketId))) throw notFound('Ticket', ticketId);
      return { data: await this.links.ofTicket(tx, ticketId) };
    });
  }
}
