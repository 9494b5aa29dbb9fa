import { CommandHandler, QueryBus, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { assertAssignee, assertRequester } from '../../domain/references';
import { ParticipantsRepository } from '../../repositories/participants.repository';
import type { ParticipantView } from '../../repositories/participants.sql';
import { TicketsRepository } from '../../repositories/tickets.repository';
import { ChangeParticipantsCommand } from './change-participants.command';
import { ParticipantsChanged } from '../../tickets.context';

@CommandHandler(ChangeParticipantsCommand)
export class ChangeParticipantsHandler implements ICommandHandler<ChangeParticipantsCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly queries: QueryBus,
    private readonly tickets: TicketsRepository,
    private readonly participants: ParticipantsRepository,
  ) {}

  execute({ context, ticketId, action, role, participantId }: ChangeParticipantsCommand): Promise<{ participant: ParticipantView; changed: boolean }> {
    return this.tx.run(context, async (tx) => {
      if (!(await this.tickets.findForUpdate(tx, ticketId))) throw notFound('Ticket', ticketId);
      let changedAt: Date | undefined;
      if (action === 'add') {
        // A CC is a contact of this tenant; a follower is someone who works tickets here.
        if (role === 'cc') await assertRequester(this.queries, context.tenantId, participantId, 'contactId');
        else await assertAssignee(this.queries, context.tenantId, participantId, 'userId');
        changedAt = await this.participants.add(tx, ticketId, role, participantId);
      } else {
        changedAt = await this.participants.remove(tx, ticketId, role, participantId);
        if (!changedAt) throw notFound(role === 'cc' ? 'CC' : 'Follower', participantId);
      }
      const changed = changedAt !== undefined;
      if (changed) {
        const change = { [role]: action === 'add' ? { to: participantId } : { from: participantId } };
        await this.tickets.recordHistory(tx, ticketId, `ticket.${role}_${action === 'add' ? 'added' : 'removed'}`, change);
        await tx.audit({ action: `ticket.${role}_${action === 'add' ? 'added' : 'removed'}`, entityType: 'ticket', entityId: ticketId, after: { role, participantId, action } });
        await tx.emit(ParticipantsChanged.of(ticketId, { role, participantId, action }));
      }
      const createdAt = changedAt ?? (await this.participants.addedAt(tx, ticketId, role, participantId))!;
      return { participant: { role, participantId, createdAt: new Date(createdAt).toISOString() }, changed };
    });
  }
}
