import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, ProblemException, TenantTransaction } from '@switchboard/platform';
import { GroupsRepository } from '../../repositories/groups.repository';
import { GroupDeleted } from '../../tickets.context';
import { DeleteGroupCommand } from './delete-group.command';

/**
 * Deletes a group softly: solved and closed tickets keep naming it (reports read them), so only a
 * group without unsolved tickets can go; the refusal says how many to move first.
 */
@CommandHandler(DeleteGroupCommand)
export class DeleteGroupHandler implements ICommandHandler<DeleteGroupCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly groups: GroupsRepository,
  ) {}

  execute({ context, groupId }: DeleteGroupCommand): Promise<void> {
    return this.tx.run(context, async (tx) => {
      const group = await this.groups.find(tx, groupId, { lock: true, live: true });
      if (!group) throw notFound('Group', groupId);
      const unsolved = await this.groups.unsolvedTickets(tx, groupId);
      if (unsolved > 0) {
        throw new ProblemException({
          status: 409,
          type: 'group-in-use',
          title: 'Conflict',
          detail: `Group "${group.name}" still has ${unsolved} unsolved ticket${unsolved === 1 ? '' : 's'}; move ${unsolved === 1 ? 'it' : 'them'} to another group (GET /v1/tickets?groupId=${groupId}) before deleting the group.`,
          extensions: { unsolvedTickets: unsolved },
        });
      }
      await this.groups.softDelete(tx, groupId);
      await tx.audit({ action: 'ticket_group.deleted', entityType: 'ticket_group', entityId: groupId, before: { name: group.name } });
      await tx.emit(GroupDeleted.of(groupId, { name: group.name }));
    });
  }
}
