import { Query } from '@nestjs/cqrs';
import type { InboundStatus } from '../../domain/channel-kinds';
import type { InboundView } from '../../repositories/channels.repository';

/** Inbound messages as received, newest first, with what became of each. */
export class ListInboundQuery extends Query<InboundView[]> {
  constructor(
    readonly tenantId: string,
    readonly filter: { ticketId?: string; status?: InboundStatus; limit: number },
  ) {
    super();
  }
}
