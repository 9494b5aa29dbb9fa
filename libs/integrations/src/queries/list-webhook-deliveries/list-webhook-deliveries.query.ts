import { Query } from '@nestjs/cqrs';
import type { Page } from '@switchboard/platform';
import type { DeliveryStatus, DeliveryView } from '../../repositories/webhooks.sql';

/** An endpoint's delivery log, newest first, a page at a time. */
export class ListWebhookDeliveriesQuery extends Query<Page<DeliveryView>> {
  constructor(
    readonly tenantId: string,
    readonly endpointId: string,
    readonly limit: number,
    readonly cursor?: string,
    readonly status?: DeliveryStatus,
  ) {
    super();
  }
}
