import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, ProblemException, TenantTransaction } from '@switchboard/platform';
import { StatusesRepository } from '../../repositories/statuses.repository';
import { CustomStatusChanged } from '../../tickets.context';
import { DeleteStatusCommand } from './delete-status.command';

/** Deletes a custom status no ticket is in (409 with the count otherwise: deactivate it instead, tickets keep it). */
@CommandHandler(DeleteStatusCommand)
export class DeleteStatusHandler implements ICommandHandler<DeleteStatusCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly statuses: StatusesRepository,
  ) {}

  execute({ context, statusId }: DeleteStatusCommand): Promise<void> {
    return this.tx.run(context, async (tx) => {
      const status = await this.statuses.find(tx, statusId, true);
      if (!status) throw notFound('Status', statusId);
      const using = await this.statuses.ticketsUsing(tx, statusId);
      if (using > 0) {
        throw new ProblemException({
          status: 409,
          type: 'conflict',
          title: 'Conflict',
          detail: `${using} ticket(s) are in status "${status.agentLabel}"; move them to another status, or deactivate it (they keep it, new changes cannot choose it).`,
          extensions: { tickets: using },
        });
      }
      await this.statuses.delete(tx, statusId);
      await tx.audit({ action: 'ticket_status.deleted', entityType: 'ticket_status', entityId: statusId, before: { ...status } });
      await tx.emit(CustomStatusChanged.of(statusId, { op: 'deleted', status: null }));
    });
  }
}
