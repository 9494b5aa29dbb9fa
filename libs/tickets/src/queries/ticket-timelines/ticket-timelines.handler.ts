import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { TimelinesRepository } from '../../repositories/timelines.repository';
import { TicketTimelinesQuery, type TicketTimeline } from './ticket-timelines.query';

@QueryHandler(TicketTimelinesQuery)
export class TicketTimelinesHandler implements IQueryHandler<TicketTimelinesQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly timelines: TimelinesRepository,
  ) {}

  execute({ tenantId, selection }: TicketTimelinesQuery): Promise<TicketTimeline[]> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, (tx) => this.timelines.read(tx, selection));
  }
}
