import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { newApiKey } from '../../domain/secrets';
import { API_KEY_COLUMNS, toApiKeyView, type ApiKeyRow, type ApiKeyView } from '../../repositories/api-keys.sql';
import { CreateApiKeyCommand } from './create-api-key.command';

/** The secret is shown once, in this response; only its hash is stored. */
@CommandHandler(CreateApiKeyCommand)
export class CreateApiKeyHandler implements ICommandHandler<CreateApiKeyCommand> {
  constructor(private readonly tx: TenantTransaction) {}

  execute({ context, name, scopes }: CreateApiKeyCommand): Promise<ApiKeyView & { key: string }> {
    return this.tx.run(context, async (tx) => {
      const { key, prefix, secretHash } = newApiKey();
      const rows: ApiKeyRow[] = await tx.manager.query(
        `INSERT INTO api_keys (tenant_id, name, prefix, secret_hash, scopes, created_by)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${API_KEY_COLUMNS}`,
        [context.tenantId, name, prefix, secretHash, [...new Set(scopes)].sort(), context.actorType === 'user' ? context.actorId : null],
      );
      const view = toApiKeyView(rows[0]);
      await tx.audit({ action: 'api_key.created', entityType: 'api_key', entityId: view.id, after: { name, prefix: view.prefix, scopes: view.scopes } });
      return { ...view, key };
    });
  }
}
