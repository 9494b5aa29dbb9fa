import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { ChannelsRepository, type DeliveryView } from '../../repositories/channels.repository';
import { ListDeliveriesQuery } from './list-deliveries.query';

@QueryHandler(ListDeliveriesQuery)
export class ListDeliveriesHandler implements IQueryHandler<ListDeliveriesQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly channels: ChannelsRepository,
  ) {}

  execute({ tenantId, filter }: ListDeliveriesQuery): Promise<DeliveryView[]> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, (tx) => this.channels.listDeliveries(tx, filter));
  }
}
