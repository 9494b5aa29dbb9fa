import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { InvitationsRepository } from '../../repositories/invitations.repository';
import { RevokeInvitationCommand } from './revoke-invitation.command';

/** Idempotent: an invitation already accepted or revoked stays as it is. */
@CommandHandler(RevokeInvitationCommand)
export class RevokeInvitationHandler implements ICommandHandler<RevokeInvitationCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly invitations: InvitationsRepository,
  ) {}

  execute({ context, invitationId }: RevokeInvitationCommand): Promise<void> {
    return this.tx.run(context, async (tx) => {
      const invitation = await this.invitations.findForUpdate(tx, invitationId);
      if (!invitation) throw notFound('Invitation', invitationId);
      if (invitation.status === 'accepted' || invitation.status === 'revoked') return;
      await this.invitations.revoke(tx, invitationId);
      await tx.audit({ action: 'invitation.revoked', entityType: 'invitation', entityId: invitationId });
    });
  }
}
