import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { newApiKey } from '../../domain/secrets';
import { ApiKeysRepository } from '../../repositories/api-keys.repository';
import type { ApiKeyView } from '../../repositories/api-keys.sql';
import { CreateApiKeyCommand } from './create-api-key.command';

/** The secret is shown once, in this response; only its hash is stored. */
@CommandHandler(CreateApiKeyCommand)
export class CreateApiKeyHandler implements ICommandHandler<CreateApiKeyCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly apiKeys: ApiKeysRepository,
  ) {}

  execute({ context, name, scopes }: CreateApiKeyCommand): Promise<ApiKeyView & { key: string }> {
    return this.tx.run(context, async (tx) => {
      const { key, prefix, secretHash } = newApiKey();
      const view = await this.apiKeys.create(tx, {
        name,
        prefix,
        secretHash,
        scopes: [...new Set(scopes)].sort(),
        createdBy: context.actorType === 'user' ? context.actorId : null,
      });
      await tx.audit({ action: 'api_key.created', entityType: 'api_key', entityId: view.id, after: { name, prefix: view.prefix, scopes: view.scopes } });
      return { ...view, key };
    });
  }
}
