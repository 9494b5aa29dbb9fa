import { Query } from '@nestjs/cqrs';
import type { EndpointView } from '../../repositories/webhooks.sql';

/** The tenant's webhook endpoints, oldest first; with `endpointId`, that one (404 when it is not the tenant's). */
export class ListWebhooksQuery extends Query<EndpointView[]> {
  constructor(
    readonly tenantId: string,
    readonly endpointId?: string,
  ) {
    super();
  }
}
