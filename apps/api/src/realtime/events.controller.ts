import { Controller, Get, Query, Req } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Ctx, ReplayConsoleEventsQuery, RequirePermission, type CommandContext, type ReplayPage, type SwitchboardRequest } from '@switchboard/platform';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';

export class ReplayQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'The last eventId the client holds; omit to get the newest events (and the cursor to start from)' })
  @IsOptional()
  @IsUUID()
  after?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit: number = 200;
}

class ConsoleEventResponse {
  @ApiProperty({ enum: ['ticket.created', 'ticket.updated', 'ticket.message_added', 'ticket.assigned', 'ticket.status_changed'] })
  event!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'Exactly what the socket event carries: eventId, ticketId, version, occurredAt, actorId and the event’s fields (docs/realtime.md)',
  })
  data!: Record<string, unknown>;
}

class ReplayPageResponse {
  @ApiProperty({ type: [ConsoleEventResponse], description: 'Oldest first; may repeat events from just before `after` — drop those you hold by eventId' })
  data!: ConsoleEventResponse[];

  @ApiProperty({ description: 'More events follow: call again with after = lastEventId' })
  hasMore!: boolean;

  @ApiProperty({ type: String, nullable: true, format: 'uuid' })
  lastEventId!: string | null;
}

@ApiTags('Realtime')
@Controller('events')
export class EventsController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @RequirePermission('tickets:read')
  @ApiOperation({
    summary: 'Replay the console events that followed a given one',
    description:
      'What an agent console missed while disconnected, from the tenant’s event log (the outbox): the same events the `/agents` socket pushes to this credential (events meant for some users or permissions only are left out for the others). ' +
      'An unknown or foreign event id answers 404 (event-not-found): reload lists and start again without `after`. ' +
      'The log keeps events for OUTBOX_RETENTION_DAYS (30 by default); an anchor older than that is gone and answers the same 404.',
  })
  @ApiOkResponse({ type: ReplayPageResponse })
  replay(@Ctx() ctx: CommandContext, @Query() query: ReplayQueryDto, @Req() req: SwitchboardRequest): Promise<ReplayPage> {
    // The same audience as the socket's rooms: a visit change reaches its technicians and dispatchers, not every console.
    const principal = req.principal!;
    const viewer = { userId: principal.id, role: principal.role ?? null, permissions: principal.permissions ?? [] };
    return this.queries.execute(new ReplayConsoleEventsQuery(ctx.tenantId, query.after ?? null, query.limit, viewer));
  }
}
