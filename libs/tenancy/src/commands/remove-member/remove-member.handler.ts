import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { AccessCache } from '../../auth/access-cache';
import { assertMayChange } from '../../repositories/members';
import { findMember } from '../../repositories/tenancy.sql';
import { RemoveMemberCommand } from './remove-member.command';
import { MemberRemoved } from '../../tenancy.context';

/** Removes the membership and ends the member's sessions in this tenant at once. */
@CommandHandler(RemoveMemberCommand)
export class RemoveMemberHandler implements ICommandHandler<RemoveMemberCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly access: AccessCache,
  ) {}

  async execute({ context, actorRole, membershipId }: RemoveMemberCommand): Promise<void> {
    await this.tx.run(context, async (tx) => {
      const member = await findMember(tx.manager, context.tenantId, membershipId, true);
      if (!member) throw notFound('Member', membershipId);
      await assertMayChange(tx.manager, actorRole, member, null);
      await tx.manager.query(`DELETE FROM memberships WHERE tenant_id = $1 AND id = $2`, [context.tenantId, membershipId]);
      await tx.manager.query(`UPDATE refresh_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE tenant_id = $1 AND user_id = $2`, [context.tenantId, member.user_id]);
      await tx.audit({ action: 'member.removed', entityType: 'membership', entityId: membershipId, before: { userId: member.user_id, email: member.email, role: member.role } });
      await tx.emit(MemberRemoved.of(membershipId, { userId: member.user_id }));
    });
    await this.access.changed(context.tenantId);
  }
}
