import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { ChannelsRepository } from '../../repositories/channels.repository';
import { GetInboundRawQuery } from './get-inbound-raw.query';

@QueryHandler(GetInboundRawQuery)
export class GetInboundRawHandler implements IQueryHandler<GetInboundRawQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly channels: ChannelsRepository,
  ) {}

  execute({ tenantId, inboundId }: GetInboundRawQuery): Promise<{ raw: Buffer; externalId: string }> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      const found = await this.channels.inboundRaw(tx, inboundId);
      if (!found) throw notFound('Inbound message', inboundId);
      return found;
    });
  }
}
