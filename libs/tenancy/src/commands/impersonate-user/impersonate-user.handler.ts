import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, ProblemException, TenantTransaction } from '@switchboard/platform';
import { TokenService } from '../../auth/token-service';
import { MembersRepository } from '../../repositories/members.repository';
import { ImpersonateUserCommand, type ImpersonationSession } from './impersonate-user.command';

export const IMPERSONATION_TTL_SECONDS = 300;

/**
 * A five-minute access token, no refresh token, that acts as the user and names the operator:
 * every audit entry made with it carries both identities.
 */
@CommandHandler(ImpersonateUserCommand)
export class ImpersonateUserHandler implements ICommandHandler<ImpersonateUserCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly tokens: TokenService,
    private readonly members: MembersRepository,
  ) {}

  execute({ context, userId }: ImpersonateUserCommand): Promise<ImpersonationSession> {
    return this.tx.runPrivileged(context, async (tx) => {
      const user = await this.members.findImpersonationTarget(tx, userId);
      if (!user) throw notFound('Member', userId);
      if (user.tenantStatus !== 'active') {
        throw new ProblemException({ status: 409, type: 'tenant-not-active', title: 'Conflict', detail: 'Only an active tenant’s users can be impersonated.' });
      }
      const accessToken = await this.tokens.sign({ sub: user.id, tid: context.tenantId, role: user.role, imp: context.actorId ?? 'platform-admin' }, IMPERSONATION_TTL_SECONDS);
      await tx.audit({ action: 'auth.impersonation_started', entityType: 'user', entityId: user.id, after: { expiresIn: IMPERSONATION_TTL_SECONDS } });
      return { accessToken, tokenType: 'Bearer', expiresIn: IMPERSONATION_TTL_SECONDS, user: { id: user.id, email: user.email, name: user.name, role: user.role } };
    });
  }
}
