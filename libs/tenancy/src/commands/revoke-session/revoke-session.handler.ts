import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { AccessCache } from '../../auth/access-cache';
import { SessionsRepository } from '../../repositories/sessions.repository';
import { RevokeSessionCommand } from './revoke-session.command';

@CommandHandler(RevokeSessionCommand)
export class RevokeSessionHandler implements ICommandHandler<RevokeSessionCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly sessions: SessionsRepository,
    private readonly access: AccessCache,
  ) {}

  async execute({ context, sessionId }: RevokeSessionCommand): Promise<void> {
    await this.tx.run(context, async (tx) => {
      const revoked = await this.sessions.revokeOne(tx, context.actorId!, sessionId, 'revoked_by_user');
      if (revoked.length === 0) throw notFound('Session', sessionId);
      await tx.audit({ action: 'auth.session_revoked', entityType: 'session', entityId: sessionId, after: { userId: context.actorId } });
    });
    await this.access.changed(context.tenantId);
  }
}
