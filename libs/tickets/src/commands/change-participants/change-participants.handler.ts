import { CommandHandler, QueryBus, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { assertAssignee, assertRequester } from '../../domain/references';
import { loadTicket, recordHistory } from '../../repositories/tickets.sql';
import { ChangeParticipantsCommand, type ParticipantView } from './change-participants.command';
import { ParticipantsChanged } from '../../tickets.context';

@CommandHandler(ChangeParticipantsCommand)
export class ChangeParticipantsHandler implements ICommandHandler<ChangeParticipantsCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly queries: QueryBus,
  ) {}

  execute({ context, ticketId, action, role, participantId }: ChangeParticipantsCommand): Promise<{ participant: ParticipantView; changed: boolean }> {
    return this.tx.run(context, async (tx) => {
      if (!(await loadTicket(tx.manager, context.tenantId, ticketId, true))) throw notFound('Ticket', ticketId);
      let rows: { created_at: Date }[];
      if (action === 'add') {
        // A CC is a contact of this tenant; a follower is someone who works tickets here.
        if (role === 'cc') await assertRequester(this.queries, context.tenantId, participantId, 'contactId');
        else await assertAssignee(this.queries, context.tenantId, participantId, 'userId');
        rows = await tx.manager.query(
          `INSERT INTO ticket_participants (tenant_id, ticket_id, role, participant_id) VALUES ($1, $2, $3, $4)
           ON CONFLICT DO NOTHING RETURNING created_at`,
          [context.tenantId, ticketId, role, participantId],
        );
      } else {
        rows = await tx.manager.query(
          `WITH d AS (DELETE FROM ticket_participants WHERE tenant_id = $1 AND ticket_id = $2 AND role = $3 AND participant_id = $4 RETURNING created_at)
           SELECT created_at FROM d`,
          [context.tenantId, ticketId, role, participantId],
        );
        if (!rows[0]) throw notFound(role === 'cc' ? 'CC' : 'Follower', participantId);
      }
      const changed = rows.length > 0;
      if (changed) {
        const change = { [role]: action === 'add' ? { to: participantId } : { from: participantId } };
        await recordHistory(tx, ticketId, `ticket.${role}_${action === 'add' ? 'added' : 'removed'}`, change);
        await tx.audit({ action: `ticket.${role}_${action === 'add' ? 'added' : 'removed'}`, entityType: 'ticket', entityId: ticketId, after: { role, participantId, action } });
        await tx.emit(ParticipantsChanged.of(ticketId, { role, participantId, action }));
      }
      const createdAt = rows[0]?.created_at ?? (await tx.manager.query(
        `SELECT created_at FROM ticket_participants WHERE tenant_id = $1 AND ticket_id = $2 AND role = $3 AND participant_id = $4`,
        [context.tenantId, ticketId, role, participantId],
      ))[0].created_at;
      return { participant: { role, participantId, createdAt: new Date(createdAt).toISOString() }, changed };
    });
  }
}
