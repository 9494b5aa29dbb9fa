import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, ProblemException, TenantTransaction } from '@switchboard/platform';
import { AccessCache } from '../../auth/access-cache';
import { MembersRepository } from '../../repositories/members.repository';
import { SessionsRepository } from '../../repositories/sessions.repository';
import { RevokeMemberSessionsCommand } from './revoke-member-sessions.command';

@CommandHandler(RevokeMemberSessionsCommand)
export class RevokeMemberSessionsHandler implements ICommandHandler<RevokeMemberSessionsCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly members: MembersRepository,
    private readonly sessions: SessionsRepository,
    private readonly access: AccessCache,
  ) {}

  async execute({ context, actorRole, membershipId }: RevokeMemberSessionsCommand): Promise<{ revoked: number }> {
    if (actorRole !== 'owner') {
      throw new ProblemException({ status: 403, type: 'forbidden', title: 'Forbidden', detail: 'Only an owner can sign a member out of every session.' });
    }
    const revoked = await this.tx.run(context, async (tx) => {
      const member = await this.members.findForUpdate(tx, membershipId);
      if (!member) throw notFound('Member', membershipId);
      const ids = await this.sessions.revokeAllInTenant(tx, member.userId, 'revoked_by_owner');
      await tx.audit({ action: 'member.sessions_revoked', entityType: 'membership', entityId: membershipId, after: { userId: member.userId, sessionsRevoked: ids.length } });
      return ids.length;
    });
    await this.access.changed(context.tenantId);
    return { revoked };
  }
}
