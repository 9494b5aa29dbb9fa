import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { WebhooksRepository } from '../../repositories/webhooks.repository';
import type { EndpointView } from '../../repositories/webhooks.sql';
import { ListWebhooksQuery } from './list-webhooks.query';

@QueryHandler(ListWebhooksQuery)
export class ListWebhooksHandler implements IQueryHandler<ListWebhooksQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly webhooks: WebhooksRepository,
  ) {}

  execute({ tenantId, endpointId }: ListWebhooksQuery): Promise<EndpointView[]> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      if (!endpointId) return this.webhooks.listEndpoints(tx);
      const found = await this.webhooks.findEndpoint(tx, endpointId);
      if (!found) throw notFound('Webhook endpoint', endpointId);
      const { secrets: _sealed, ...view } = found;
      return [view];
    });
  }
}
