import { Query } from '@nestjs/cqrs';
import type { StatusInterval, TicketMetrics } from '../../domain/ticket-metrics';

/** A ticket's metrics as the worker last computed them. */
export class GetTicketMetricsQuery extends Query<TicketMetrics> {
  constructor(
    readonly tenantId: string,
    readonly ticketId: string,
  ) {
    super();
  }
}

/** The intervals a ticket spent in each status, oldest first; the current one has no end. */
export class GetStatusDurationsQuery extends Query<{ ticketId: string; data: StatusInterval[] }> {
  constructor(
    readonly tenantId: string,
    readonly ticketId: string,
  ) {
    super();
  }
}
