import { Query } from '@nestjs/cqrs';
import type { Page } from '@switchboard/platform';
import type { ServiceView } from '../../repositories/services.sql';

export class ListServicesQuery extends Query<Page<ServiceView>> {
  constructor(
    readonly tenantId: string,
    readonly page: { limit: number; cursor?: string; active?: boolean },
  ) {
    super();
  }
}
