import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { ScimRepository } from '../../scim/scim.repository';
import { ScimTokenRevokeCommand } from './scim-token-revoke.command';

/** Provisioning stops: the directory's token is refused from now on. */
@CommandHandler(ScimTokenRevokeCommand)
export class ScimTokenRevokeHandler implements ICommandHandler<ScimTokenRevokeCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly scim: ScimRepository,
  ) {}

  async execute({ context }: ScimTokenRevokeCommand): Promise<void> {
    await this.tx.run(context, async (tx) => {
      const active = await this.scim.activeToken(tx, true);
      if (!active) throw notFound('SCIM token');
      await this.scim.revokeTokens(tx);
      await tx.audit({ action: 'scim_token.revoked', entityType: 'scim_token', entityId: active.id, before: { prefix: active.prefix } });
    });
  }
}
