import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { API_KEY_COLUMNS, toApiKeyView, type ApiKeyRow, type ApiKeyView } from '../../repositories/api-keys.sql';
import { ListApiKeysQuery } from './list-api-keys.query';

@QueryHandler(ListApiKeysQuery)
export class ListApiKeysHandler implements IQueryHandler<ListApiKeysQuery> {
  constructor(private readonly tx: TenantTransaction) {}

  execute({ tenantId }: ListApiKeysQuery): Promise<ApiKeyView[]> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      const rows: ApiKeyRow[] = await tx.manager.query(`SELECT ${API_KEY_COLUMNS} FROM api_keys WHERE tenant_id = $1 ORDER BY created_at DESC`, [tenantId]);
      return rows.map(toApiKeyView);
    });
  }
}
