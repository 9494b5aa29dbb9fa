import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { AccessCache } from '../../auth/access-cache';
import { assertMayChange } from '../../domain/membership-rules';
import { MembersRepository } from '../../repositories/members.repository';
import type { MemberView } from '../../repositories/members.sql';
import { MemberRoleChanged } from '../../tenancy.context';
import { ChangeMemberRoleCommand } from './change-member-role.command';

@CommandHandler(ChangeMemberRoleCommand)
export class ChangeMemberRoleHandler implements ICommandHandler<ChangeMemberRoleCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly access: AccessCache,
    private readonly members: MembersRepository,
  ) {}

  async execute({ context, actorRole, membershipId, role }: ChangeMemberRoleCommand): Promise<MemberView> {
    const view = await this.tx.run(context, async (tx) => {
      const member = await this.members.findForUpdate(tx, membershipId);
      if (!member) throw notFound('Member', membershipId);
      if (member.role === role) return member;
      await assertMayChange(actorRole, member, role, () => this.members.countOwners(tx));
      await this.members.changeRole(tx, membershipId, role);
      await tx.audit({ action: 'member.role_changed', entityType: 'membership', entityId: membershipId, before: { role: member.role }, after: { role } });
      await tx.emit(MemberRoleChanged.of(membershipId, { userId: member.userId, role }));
      return { ...member, role };
    });
    // After the commit and before the answer: the member's next request, on any process, has the new role.
    await this.access.changed(context.tenantId);
    return view;
  }
}
