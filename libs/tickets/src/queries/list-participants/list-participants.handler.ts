import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { ParticipantsRepository } from '../../repositories/participants.repository';
import type { ParticipantView } from '../../repositories/participants.sql';
import { TicketsRepository } from '../../repositories/tickets.repository';
import { ListParticipantsQuery } from './list-participants.query';

@QueryHandler(ListParticipantsQuery)
export class ListParticipantsHandler implements IQueryHandler<ListParticipantsQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly tickets: TicketsRepository,
    private readonly participants: ParticipantsRepository,
  ) {}

  execute({ tenantId, ticketId }: ListParticipantsQuery): Promise<ParticipantView[]> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      if (!(await this.tickets.find(tx, ticketId))) throw notFound('Ticket', ticketId);
      return this.participants.ofTicket(tx, ticketId);
    });
  }
}
