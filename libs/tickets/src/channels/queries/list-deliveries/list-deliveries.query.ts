import { Query } from '@nestjs/cqrs';
import type { DeliveryStatus } from '../../domain/channel-kinds';
import type { DeliveryView } from '../../repositories/channels.repository';

/** Deliveries newest first; `status: 'failed'` is the tenant's dead-letter list. */
export class ListDeliveriesQuery extends Query<DeliveryView[]> {
  constructor(
    readonly tenantId: string,
    readonly filter: { status?: DeliveryStatus; ticketId?: string; limit: number },
  ) {
    super();
  }
}
