import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type CommandContext, Ctx, etagOf, parseIfMatch, ParseUuidPipe, reportRange, RequirePermission, type SwitchboardRequest } from '@switchboard/platform';
import type { Response } from 'express';
import { ChangeTimeEntryCommand } from '../commands/change-time-entry/change-time-entry.command';
import { LogTimeCommand } from '../commands/log-time/log-time.command';
import { StartTimerCommand, type StartedTimer } from '../commands/start-timer/start-timer.command';
import { StopTimerCommand, type StoppedTimer } from '../commands/stop-timer/stop-timer.command';
import { GetTimerQuery } from '../queries/get-timer/get-timer.query';
import { ListTimeEntriesQuery, type TimeEntryPage } from '../queries/list-time-entries/list-time-entries.query';
import { TimeTotalsQuery, type TimeTotalsReport } from '../queries/time-totals/time-totals.query';
import type { TimeEntryView, TimerView } from '../repositories/time.sql';
import {
  CurrentTimerResponse,
  LogTimeDto,
  StartedTimerResponse,
  StartTimerDto,
  StopTimerDto,
  StoppedTimerResponse,
  TimeEntryPageQueryDto,
  TimeEntryPageResponse,
  TimeEntryResponse,
  TimeTotalsQueryDto,
  TimeTotalsReportResponse,
  UpdateTimeEntryDto,
} from './time.dto';

/** Owners and admins (who set the help desk up) record and correct anyone's time and see everyone's totals. */
const managesOthers = (req: SwitchboardRequest) => (req.principal?.permissions ?? []).includes('tickets:configure');

/** Time tracking: entries per ticket, one running timer per agent, totals per agent, ticket or activity. */
@ApiTags('Time tracking')
@Controller()
export class TimeController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post('tickets/:id/time-entries')
  @RequirePermission('tickets:write')
  @ApiOperation({ summary: 'Record time spent on a ticket', description: 'Your own time; owners and admins may name another working member (userId), and an API key must.' })
  @ApiCreatedResponse({ type: TimeEntryResponse })
  async log(@Ctx() ctx: CommandContext, @Req() req: SwitchboardRequest, @Param('id', ParseUuidPipe) id: string, @Body() body: LogTimeDto, @Res({ passthrough: true }) res: Response): Promise<TimeEntryView> {
    const entry = await this.commands.execute(new LogTimeCommand(ctx, id, body, managesOthers(req)));
    res.setHeader('ETag', etagOf(entry.version));
    return entry;
  }

  @Get('tickets/:id/time-entries')
  @RequirePermission('tickets:read')
  @ApiOperation({ summary: 'A ticket’s time entries, by when the work happened, with its totals' })
  @ApiOkResponse({ type: TimeEntryPageResponse })
  list(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Query() query: TimeEntryPageQueryDto): Promise<TimeEntryPage> {
    return this.queries.execute(new ListTimeEntriesQuery(ctx.tenantId, id, { limit: query.limit, cursor: query.cursor }));
  }

  @Patch('tickets/:id/time-entries/:entryId')
  @RequirePermission('tickets:write')
  @ApiOperation({ summary: 'Correct a time entry', description: 'Your own, or anyone’s for owners and admins (403 otherwise). With a stale If-Match: 412.' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The ETag from your last read' })
  @ApiOkResponse({ type: TimeEntryResponse })
  async update(
    @Ctx() ctx: CommandContext,
    @Req() req: SwitchboardRequest,
    @Param('id', ParseUuidPipe) id: string,
    @Param('entryId', ParseUuidPipe) entryId: string,
    @Body() body: UpdateTimeEntryDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TimeEntryView> {
    const entry = (await this.commands.execute(new ChangeTimeEntryCommand(ctx, id, entryId, body, managesOthers(req), parseIfMatch(ifMatch))))!;
    res.setHeader('ETag', etagOf(entry.version));
    return entry;
  }

  @Delete('tickets/:id/time-entries/:entryId')
  @HttpCode(204)
  @RequirePermission('tickets:write')
  @ApiOperation({ summary: 'Remove a time entry', description: 'Your own, or anyone’s for owners and admins.' })
  @ApiNoContentResponse()
  async remove(@Ctx() ctx: CommandContext, @Req() req: SwitchboardRequest, @Param('id', ParseUuidPipe) id: string, @Param('entryId', ParseUuidPipe) entryId: string): Promise<void> {
    await this.commands.execute(new ChangeTimeEntryCommand(ctx, id, entryId, null, managesOthers(req), null));
  }

  @Post('tickets/:id/timer')
  @RequirePermission('tickets:write')
  @ApiOperation({ summary: 'Start your timer on a ticket', description: 'You have one timer: a running one is stopped and recorded first (answered as `stopped`).' })
  @ApiCreatedResponse({ type: StartedTimerResponse })
  start(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Body() body: StartTimerDto): Promise<StartedTimer> {
    return this.commands.execute(new StartTimerCommand(ctx, id, body));
  }

  @Get('me/timer')
  @RequirePermission('tickets:read')
  @ApiOperation({ summary: 'Your running timer, or null' })
  @ApiOkResponse({ type: CurrentTimerResponse })
  current(@Ctx() ctx: CommandContext): Promise<{ timer: TimerView | null }> {
    return this.queries.execute(new GetTimerQuery(ctx.tenantId, ctx.actorId ?? ''));
  }

  @Post('me/timer/stop')
  @HttpCode(200)
  @RequirePermission('tickets:write')
  @ApiOperation({ summary: 'Stop your timer', description: 'Records its whole minutes (at least 1, at most a day: `capped`) on its ticket, or discards them. 404 when no timer runs.' })
  @ApiOkResponse({ type: StoppedTimerResponse })
  stop(@Ctx() ctx: CommandContext, @Body() body: StopTimerDto): Promise<StoppedTimer> {
    return this.commands.execute(new StopTimerCommand(ctx, body.discard ?? false));
  }

  @Get('time-entries/totals')
  @RequirePermission('tickets:read')
  @ApiOperation({ summary: 'Time totals per agent, ticket or activity in a date range', description: 'By when the work happened. Agents see their own time; owners and admins everyone’s (or one person’s with userId).' })
  @ApiOkResponse({ type: TimeTotalsReportResponse })
  totals(@Ctx() ctx: CommandContext, @Req() req: SwitchboardRequest, @Query() query: TimeTotalsQueryDto): Promise<TimeTotalsReport> {
    const range = reportRange(query);
    const requested = query.userId === 'me' ? (ctx.actorId ?? undefined) : query.userId;
    const userId = managesOthers(req) ? requested : (ctx.actorId ?? '');
    return this.queries.execute(new TimeTotalsQuery(ctx.tenantId, range, query.groupBy, userId));
  }
}
