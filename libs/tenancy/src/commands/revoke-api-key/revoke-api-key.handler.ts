import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { AccessCache } from '../../auth/access-cache';
import { ApiKeysRepository } from '../../repositories/api-keys.repository';
import { RevokeApiKeyCommand } from './revoke-api-key.command';

/** Effective on the key's next request, on every process: the credential cache drops the tenant's keys after the commit. */
@CommandHandler(RevokeApiKeyCommand)
export class RevokeApiKeyHandler implements ICommandHandler<RevokeApiKeyCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly access: AccessCache,
    private readonly apiKeys: ApiKeysRepository,
  ) {}

  async execute({ context, apiKeyId }: RevokeApiKeyCommand): Promise<void> {
    await this.tx.run(context, async (tx) => {
      const key = await this.apiKeys.findForUpdate(tx, apiKeyId);
      if (!key) throw notFound('API key', apiKeyId);
      if (key.revokedAt) return;
      await this.apiKeys.revoke(tx, apiKeyId);
      await tx.audit({ action: 'api_key.revoked', entityType: 'api_key', entityId: apiKeyId, before: { revoked: false }, after: { revoked: true } });
    });
    await this.access.changed(context.tenantId);
  }
}
