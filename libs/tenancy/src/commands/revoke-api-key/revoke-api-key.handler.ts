import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { AccessCache } from '../../auth/access-cache';
import { RevokeApiKeyCommand } from './revoke-api-key.command';

/** Effective on the key's next request, on every process: the credential cache drops the tenant's keys after the commit. */
@CommandHandler(RevokeApiKeyCommand)
export class RevokeApiKeyHandler implements ICommandHandler<RevokeApiKeyCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly access: AccessCache,
  ) {}

  async execute({ context, apiKeyId }: RevokeApiKeyCommand): Promise<void> {
    await this.tx.run(context, async (tx) => {
      const rows: { revoked_at: Date | null }[] = await tx.manager.query(
        `SELECT revoked_at FROM api_keys WHERE tenant_id = $1 AND id = $2 FOR UPDATE`,
        [context.tenantId, apiKeyId],
      );
      if (!rows[0]) throw notFound('API key', apiKeyId);
      if (rows[0].revoked_at) return;
      await tx.manager.query(`UPDATE api_keys SET revoked_at = now(), updated_at = now(), version = version + 1 WHERE tenant_id = $1 AND id = $2`, [context.tenantId, apiKeyId]);
      await tx.audit({ action: 'api_key.revoked', entityType: 'api_key', entityId: apiKeyId, before: { revoked: false }, after: { revoked: true } });
    });
    await this.access.changed(context.tenantId);
  }
}
