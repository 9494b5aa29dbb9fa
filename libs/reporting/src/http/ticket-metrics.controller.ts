import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type CommandContext, Ctx, ParseUuidPipe, RequirePermission } from '@switchboard/platform';
import type { StatusInterval, TicketMetrics } from '../domain/ticket-metrics';
import { GetStatusDurationsQuery, GetTicketMetricsQuery } from '../queries/get-ticket-metrics/get-ticket-metrics.query';
import { StatusDurationsResponse, TicketMetricsResponse } from './reporting.dto';

@ApiTags('Reports')
@Controller('tickets')
export class TicketMetricsController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':id/metrics')
  @RequirePermission('tickets:read')
  @ApiOperation({ summary: 'The ticket’s reply and resolution times (calendar and business minutes) and counts, kept by the worker' })
  @ApiOkResponse({ type: TicketMetricsResponse })
  @ApiNotFoundResponse({ description: 'No such ticket, or its metrics are not computed yet (problem+json)' })
  metrics(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string): Promise<TicketMetrics> {
    return this.queries.execute(new GetTicketMetricsQuery(ctx.tenantId, id));
  }

  @Get(':id/status-durations')
  @RequirePermission('tickets:read')
  @ApiOperation({ summary: 'Each interval the ticket spent in each status and custom status, oldest first' })
  @ApiOkResponse({ type: StatusDurationsResponse })
  @ApiNotFoundResponse({ description: 'No such ticket, or its metrics are not computed yet (problem+json)' })
  statusDurations(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string): Promise<{ ticketId: string; data: StatusInterval[] }> {
    return this.queries.execute(new GetStatusDurationsQuery(ctx.tenantId, id));
  }
}
