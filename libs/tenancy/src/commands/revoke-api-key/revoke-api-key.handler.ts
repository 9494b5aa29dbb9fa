import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { RevokeApiKeyCommand } from './revoke-api-key.command';

/** Effective on the key's next request: every request checks revocation. */
@CommandHandler(RevokeApiKeyCommand)
export class RevokeApiKeyHandler implements ICommandHandler<RevokeApiKeyCommand> {
  constructor(private readonly tx: TenantTransaction) {}

  execute({ context, apiKeyId }: RevokeApiKeyCommand): Promise<void> {
    return this.tx.run(context, async (tx) => {
      const rows: { revoked_at: Date | null }[] = await tx.manager.query(
        `SELECT revoked_at FROM api_keys WHERE tenant_id = $1 AND id = $2 FOR UPDATE`,
        [context.tenantId, apiKeyId],
      );
      if (!rows[0]) throw notFound('API key', apiKeyId);
      if (rows[0].revoked_at) return;
      await tx.manager.query(`UPDATE api_keys SET revoked_at = now(), updated_at = now(), version = version + 1 WHERE tenant_id = $1 AND id = $2`, [context.tenantId, apiKeyId]);
      await tx.audit({ action: 'api_key.revoked', entityType: 'api_key', entityId: apiKeyId, before: { revoked: false }, after: { revoked: true } });
    });
  }
}
