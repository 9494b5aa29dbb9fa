import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { AccessCache } from '../../auth/access-cache';
import { assertMayChange, toMemberView, type MemberView } from '../../repositories/members';
import { findMember } from '../../repositories/tenancy.sql';
import { ChangeMemberRoleCommand } from './change-member-role.command';
import { MemberRoleChanged } from '../../tenancy.context';

@CommandHandler(ChangeMemberRoleCommand)
export class ChangeMemberRoleHandler implements ICommandHandler<ChangeMemberRoleCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly access: AccessCache,
  ) {}

  async execute({ context, actorRole, membershipId, role }: ChangeMemberRoleCommand): Promise<MemberView> {
    const view = await this.tx.run(context, async (tx) => {
      const member = await findMember(tx.manager, context.tenantId, membershipId, true);
      if (!member) throw notFound('Member', membershipId);
      if (member.role === role) return toMemberView(member);
      await assertMayChange(tx.manager, actorRole, member, role);
      await tx.manager.query(`UPDATE memberships SET role = $3, updated_at = now(), version = version + 1 WHERE tenant_id = $1 AND id = $2`, [context.tenantId, membershipId, role]);
      await tx.audit({ action: 'member.role_changed', entityType: 'membership', entityId: membershipId, before: { role: member.role }, after: { role } });
      await tx.emit(MemberRoleChanged.of(membershipId, { userId: member.user_id, role }));
      return toMemberView({ ...member, role });
    });
    // After the commit and before the answer: the member's next request, on any process, has the new role.
    await this.access.changed(context.tenantId);
    return view;
  }
}
