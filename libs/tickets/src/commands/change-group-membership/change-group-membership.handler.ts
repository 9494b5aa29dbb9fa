import { CommandHandler, QueryBus, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { assertAssignee } from '../../domain/references';
import { GroupsRepository } from '../../repositories/groups.repository';
import { GroupMembershipChanged } from '../../tickets.context';
import { ChangeGroupMembershipCommand } from './change-group-membership.command';

/**
 * Adds a member to a group, or removes one. Members are people who can own tickets (owners,
 * admins, agents). Idempotent: adding a member twice or removing a non-member changes nothing
 * and records nothing. Removing a member leaves their tickets assigned to them.
 */
@CommandHandler(ChangeGroupMembershipCommand)
export class ChangeGroupMembershipHandler implements ICommandHandler<ChangeGroupMembershipCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly queries: QueryBus,
    private readonly groups: GroupsRepository,
  ) {}

  execute({ context, groupId, userId, action }: ChangeGroupMembershipCommand): Promise<{ changed: boolean }> {
    return this.tx.run(context, async (tx) => {
      const group = await this.groups.find(tx, groupId, { lock: true, live: true });
      if (!group) throw notFound('Group', groupId);
      if (action === 'add') await assertAssignee(this.queries, context.tenantId, userId, 'userId');
      const changed = action === 'add' ? await this.groups.addMember(tx, groupId, userId) : await this.groups.removeMember(tx, groupId, userId);
      if (!changed) return { changed };
      await tx.audit({ action: `ticket_group.member_${action === 'add' ? 'added' : 'removed'}`, entityType: 'ticket_group', entityId: groupId, after: { userId } });
      await tx.emit(GroupMembershipChanged.of(groupId, { userId, action }));
      return { changed };
    });
  }
}
