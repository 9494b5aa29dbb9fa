import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { TicketDeletionRepository, type DeletionState } from '../../repositories/deletion.repository';
import { GetTicketDeletionQuery } from './get-ticket-deletion.query';

@QueryHandler(GetTicketDeletionQuery)
export class GetTicketDeletionHandler implements IQueryHandler<GetTicketDeletionQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly deletion: TicketDeletionRepository,
  ) {}

  execute({ tenantId, ticketId }: GetTicketDeletionQuery): Promise<DeletionState> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      const state = await this.deletion.state(tx, ticketId);
      if (!state) throw notFound('Ticket deletion', ticketId);
      return state;
    });
  }
}
