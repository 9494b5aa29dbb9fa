import { Injectable } from '@nestjs/common';
import { QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ProblemException, TenantTransaction, type TenantTx } from '@switchboard/platform';
import { GetTicketQuery } from '@switchboard/tickets';
import type { StatusInterval, TicketMetrics } from '../../domain/ticket-metrics';
import { MetricsRepository } from '../../repositories/metrics.repository';
import { GetStatusDurationsQuery, GetTicketMetricsQuery } from './get-ticket-metrics.query';

const notComputed = (ticketId: string) =>
  new ProblemException({
    status: 404,
    type: 'not-found',
    title: 'Not Found',
    detail: `Ticket ${ticketId} has no metrics yet: the worker computes them from the ticket's history moments after each change.`,
  });

/** Reads a ticket's figures after the tickets context has confirmed the ticket is the caller's (else its 404). */
@Injectable()
abstract class TicketFigures {
  constructor(
    protected readonly tx: TenantTransaction,
    protected readonly queries: QueryBus,
    protected readonly metrics: MetricsRepository,
  ) {}

  protected async read<T>(tenantId: string, ticketId: string, work: (tx: TenantTx, id: string) => Promise<T | undefined>): Promise<T> {
    const ticket = await this.queries.execute(new GetTicketQuery(tenantId, ticketId));
    const found = await this.tx.run({ tenantId, actorId: null, correlationId: null }, (tx) => work(tx, ticket.id));
    if (found === undefined) throw notComputed(ticket.id);
    return found;
  }
}

@QueryHandler(GetTicketMetricsQuery)
export class GetTicketMetricsHandler extends TicketFigures implements IQueryHandler<GetTicketMetricsQuery> {
  execute({ tenantId, ticketId }: GetTicketMetricsQuery): Promise<TicketMetrics> {
    return this.read(tenantId, ticketId, (tx, id) => this.metrics.find(tx, id));
  }
}

@QueryHandler(GetStatusDurationsQuery)
export class GetStatusDurationsHandler extends TicketFigures implements IQueryHandler<GetStatusDurationsQuery> {
  execute({ tenantId, ticketId }: GetStatusDurationsQuery): Promise<{ ticketId: string; data: StatusInterval[] }> {
    return this.read(tenantId, ticketId, async (tx, id) => {
      const intervals = await this.metrics.intervals(tx, id);
      return intervals.length > 0 ? { ticketId: id, data: intervals } : undefined;
    });
  }
}
