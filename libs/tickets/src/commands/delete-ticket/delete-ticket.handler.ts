import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { TicketDeletionRepository, type DeletionState } from '../../repositories/deletion.repository';
import { TicketDeleted } from '../../tickets.context';
import { DeleteTicketCommand } from './delete-ticket.command';

/**
 * One short transaction whatever the ticket's size: the ticket is marked deleted (every read
 * filters it out from here on), audited without its content, and `ticket_deleted` goes through
 * the outbox — consoles drop the ticket, and the tickets worker purges messages, attachments
 * (files too), participants, AI suggestions and history in batches, leaving a tombstone.
 */
@CommandHandler(DeleteTicketCommand)
export class DeleteTicketHandler implements ICommandHandler<DeleteTicketCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly deletion: TicketDeletionRepository,
  ) {}

  execute({ context, ticketId }: DeleteTicketCommand): Promise<DeletionState> {
    return this.tx.run(context, async (tx) => {
      const deletedBy = context.actorId;
      const marked = await this.deletion.markDeleted(tx, ticketId, deletedBy);
      if (!marked) throw notFound('Ticket', ticketId);
      await tx.audit({ action: 'ticket.deleted', entityType: 'ticket', entityId: ticketId, before: { number: marked.number } });
      await tx.emit(TicketDeleted.of(ticketId, { number: marked.number, deletedBy, deletedAt: marked.deletedAt, version: marked.version }));
      return { id: ticketId, number: marked.number, deletedAt: marked.deletedAt, deletedBy, purgedAt: null };
    });
  }
}
