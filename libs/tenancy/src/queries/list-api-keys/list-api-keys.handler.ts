import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { ApiKeysRepository } from '../../repositories/api-keys.repository';
import type { ApiKeyView } from '../../repositories/api-keys.sql';
import { ListApiKeysQuery } from './list-api-keys.query';

@QueryHandler(ListApiKeysQuery)
export class ListApiKeysHandler implements IQueryHandler<ListApiKeysQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly apiKeys: ApiKeysRepository,
  ) {}

  execute({ tenantId }: ListApiKeysQuery): Promise<ApiKeyView[]> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, (tx) => this.apiKeys.list(tx));
  }
}
