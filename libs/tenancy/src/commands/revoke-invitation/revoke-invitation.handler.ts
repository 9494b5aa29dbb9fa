import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { RevokeInvitationCommand } from './revoke-invitation.command';

@CommandHandler(RevokeInvitationCommand)
export class RevokeInvitationHandler implements ICommandHandler<RevokeInvitationCommand> {
  constructor(private readonly tx: TenantTransaction) {}

  execute({ context, invitationId }: RevokeInvitationCommand): Promise<void> {
    return this.tx.run(context, async (tx) => {
      const rows: { accepted_at: Date | null; revoked_at: Date | null }[] = await tx.manager.query(
        `SELECT accepted_at, revoked_at FROM invitations WHERE tenant_id = $1 AND id = $2 FOR UPDATE`,
        [context.tenantId, invitationId],
      );
      if (!rows[0]) throw notFound('Invitation', invitationId);
      if (rows[0].accepted_at || rows[0].revoked_at) return;
      await tx.manager.query(`UPDATE invitations SET revoked_at = now(), updated_at = now(), version = version + 1 WHERE tenant_id = $1 AND id = $2`, [context.tenantId, invitationId]);
      await tx.audit({ action: 'invitation.revoked', entityType: 'invitation', entityId: invitationId });
    });
  }
}
