import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { ChannelsRepository, type InboundView } from '../../repositories/channels.repository';
import { ListInboundQuery } from './list-inbound.query';

@QueryHandler(ListInboundQuery)
export class ListInboundHandler implements IQueryHandler<ListInboundQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly channels: ChannelsRepository,
  ) {}

  execute({ tenantId, filter }: ListInboundQuery): Promise<InboundView[]> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, (tx) => this.channels.listInbound(tx, filter));
  }
}
