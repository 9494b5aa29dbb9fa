import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { ChannelsRepository, channelView, type ChannelView } from '../../repositories/channels.repository';
import { GetChannelQuery, ListChannelsQuery } from './list-channels.query';

@QueryHandler(ListChannelsQuery)
export class ListChannelsHandler implements IQueryHandler<ListChannelsQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly channels: ChannelsRepository,
  ) {}

  execute({ tenantId }: ListChannelsQuery): Promise<ChannelView[]> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => (await this.channels.listChannels(tx)).map(channelView));
  }
}

@QueryHandler(GetChannelQuery)
export class GetChannelHandler implements IQueryHandler<GetChannelQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly channels: ChannelsRepository,
  ) {}

  execute({ tenantId, channelId }: GetChannelQuery): Promise<ChannelView> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      const channel = await this.channels.findChannel(tx, channelId);
      if (!channel) throw notFound('Channel', channelId);
      return channelView(channel);
    });
  }
}
