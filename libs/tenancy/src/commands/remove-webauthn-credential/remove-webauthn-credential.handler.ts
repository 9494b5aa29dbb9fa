import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { TwoFactorRepository } from '../../repositories/two-factor.repository';
import { RemoveWebAuthnCredentialCommand } from './remove-webauthn-credential.command';

/** Only the signed-in user's own keys: anyone else's id is 404, like a missing one. */
@CommandHandler(RemoveWebAuthnCredentialCommand)
export class RemoveWebAuthnCredentialHandler implements ICommandHandler<RemoveWebAuthnCredentialCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly factors: TwoFactorRepository,
  ) {}

  async execute({ context, credentialId }: RemoveWebAuthnCredentialCommand): Promise<void> {
    await this.tx.run(context, async (tx) => {
      const removed = await this.factors.removeCredential(tx.manager, context.actorId!, credentialId);
      if (!removed) throw notFound('Security key', credentialId);
      await tx.audit({ action: 'two_factor.webauthn_removed', entityType: 'user', entityId: context.actorId, before: { credentialId, name: removed.name } });
    });
  }
}
