import { Query } from '@nestjs/cqrs';
import type { ApiKeyView } from '../../repositories/api-keys.sql';

export class ListApiKeysQuery extends Query<ApiKeyView[]> {
  constructor(readonly tenantId: string) {
    super();
  }
}
