import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { SsoRepository } from '../../sso/sso.repository';
import { SsoRemoveCommand } from './sso-remove.command';

/** Turns single sign-on off for good: the domains are released and passwords work again. */
@CommandHandler(SsoRemoveCommand)
export class SsoRemoveHandler implements ICommandHandler<SsoRemoveCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly sso: SsoRepository,
  ) {}

  async execute({ context }: SsoRemoveCommand): Promise<void> {
    await this.tx.run(context, async (tx) => {
      const before = await this.sso.find(tx, true);
      if (!before) throw notFound('SSO connection');
      await this.sso.remove(tx);
      await tx.audit({ action: 'sso.removed', entityType: 'sso_connection', entityId: context.tenantId, before: { issuer: before.issuer, clientId: before.clientId, domains: before.domains } });
    });
  }
}
