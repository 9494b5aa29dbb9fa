import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { AccessCache } from '../../auth/access-cache';
import { assertMayChange } from '../../domain/membership-rules';
import { MembersRepository } from '../../repositories/members.repository';
import { RefreshTokensRepository } from '../../repositories/refresh-tokens.repository';
import { MemberRemoved } from '../../tenancy.context';
import { RemoveMemberCommand } from './remove-member.command';

/** Removes the membership and ends the member's sessions in this tenant at once. */
@CommandHandler(RemoveMemberCommand)
export class RemoveMemberHandler implements ICommandHandler<RemoveMemberCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly access: AccessCache,
    private readonly members: MembersRepository,
    private readonly refreshTokens: RefreshTokensRepository,
  ) {}

  async execute({ context, actorRole, membershipId }: RemoveMemberCommand): Promise<void> {
    await this.tx.run(context, async (tx) => {
      const member = await this.members.findForUpdate(tx, membershipId);
      if (!member) throw notFound('Member', membershipId);
      await assertMayChange(actorRole, member, null, () => this.members.countOwners(tx));
      await this.members.remove(tx, membershipId);
      await this.refreshTokens.revokeAllOfUser(tx, member.userId);
      await tx.audit({ action: 'member.removed', entityType: 'membership', entityId: membershipId, before: { userId: member.userId, email: member.email, role: member.role } });
      await tx.emit(MemberRemoved.of(membershipId, { userId: member.userId }));
    });
    await this.access.changed(context.tenantId);
  }
}
