import { Query } from '@nestjs/cqrs';
import type { ChannelView } from '../../repositories/channels.repository';

export class ListChannelsQuery extends Query<ChannelView[]> {
  constructor(readonly tenantId: string) {
    super();
  }
}

export class GetChannelQuery extends Query<ChannelView> {
  constructor(
    readonly tenantId: string,
    readonly channelId: string,
  ) {
    super();
  }
}
