import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction, toPage, type Page } from '@switchboard/platform';
import { WebhooksRepository } from '../../repositories/webhooks.repository';
import type { DeliveryView } from '../../repositories/webhooks.sql';
import { ListWebhookDeliveriesQuery } from './list-webhook-deliveries.query';

@QueryHandler(ListWebhookDeliveriesQuery)
export class ListWebhookDeliveriesHandler implements IQueryHandler<ListWebhookDeliveriesQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly webhooks: WebhooksRepository,
  ) {}

  execute({ tenantId, endpointId, limit, cursor, status }: ListWebhookDeliveriesQuery): Promise<Page<DeliveryView>> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      if (!(await this.webhooks.findEndpoint(tx, endpointId))) throw notFound('Webhook endpoint', endpointId);
      const rows = await this.webhooks.listDeliveries(tx, endpointId, limit, cursor, status);
      return toPage(rows, limit, (last) => [last.createdAt, last.id]);
    });
  }
}
