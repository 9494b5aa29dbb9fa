import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import type { ParticipantView } from '../../commands/change-participants/change-participants.command';
import { loadTicket } from '../../repositories/tickets.sql';
import { ListParticipantsQuery } from './list-participants.query';

@QueryHandler(ListParticipantsQuery)
export class ListParticipantsHandler implements IQueryHandler<ListParticipantsQuery> {
  constructor(private readonly tx: TenantTransaction) {}

  execute({ tenantId, ticketId }: ListParticipantsQuery): Promise<ParticipantView[]> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      if (!(await loadTicket(tx.manager, tenantId, ticketId))) throw notFound('Ticket', ticketId);
      const rows: { role: ParticipantView['role']; participant_id: string; created_at: Date }[] = await tx.manager.query(
        `SELECT role, participant_id, created_at FROM ticket_participants WHERE tenant_id = $1 AND ticket_id = $2 ORDER BY role, created_at`,
        [tenantId, ticketId],
      );
      return rows.map((r) => ({ role: r.role, participantId: r.participant_id, createdAt: new Date(r.created_at).toISOString() }));
    });
  }
}
