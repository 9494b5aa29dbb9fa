import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type CommandContext, Ctx, etagOf, parseIfMatch, ParseUuidPipe, ProblemException, RequirePermission } from '@switchboard/platform';
import type { Response } from 'express';
import { DeleteCalendarCommand } from '../commands/delete-calendar/delete-calendar.command';
import { ImportHolidaysCommand } from '../commands/import-holidays/import-holidays.command';
import { SaveCalendarCommand } from '../commands/save-calendar/save-calendar.command';
import { CalculateBusinessTimeQuery, type BusinessTimeAnswer } from '../queries/calculate-business-time/calculate-business-time.query';
import { ListCalendarsQuery } from '../queries/list-calendars/list-calendars.query';
import type { CalendarView } from '../repositories/calendars.sql';
import {
  BusinessTimeQueryDto,
  BusinessTimeResponse,
  CalendarListResponse,
  CalendarResponse,
  CreateCalendarDto,
  ImportHolidaysDto,
  ImportHolidaysResponse,
  UpdateCalendarDto,
} from './calendars.dto';

const MAX_SPAN_MS = 400 * 86_400_000;
const withEtag = (res: Response, calendar: CalendarView) => {
  res.setHeader('ETag', etagOf(calendar.version));
  return calendar;
};

/** Business calendars: when the help desk is open, in its zone, with holidays; what SLA clocks run on. */
@ApiTags('Business calendars')
@Controller('business-calendars')
export class CalendarsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @RequirePermission('tickets:configure')
  @ApiOperation({ summary: 'Create a business calendar', description: 'An IANA zone, opening intervals per weekday (several a day: a lunch break) and holidays. 422 names the field and rule a calendar breaks.' })
  @ApiCreatedResponse({ type: CalendarResponse })
  async create(@Ctx() ctx: CommandContext, @Body() body: CreateCalendarDto, @Res({ passthrough: true }) res: Response): Promise<CalendarView> {
    const calendar = await this.commands.execute(new SaveCalendarCommand(ctx, null, body));
    res.setHeader('Location', `/v1/business-calendars/${calendar.id}`);
    return withEtag(res, calendar);
  }

  @Get()
  @RequirePermission('tickets:read')
  @ApiOperation({ summary: 'The tenant’s business calendars, by name' })
  @ApiOkResponse({ type: CalendarListResponse })
  async list(@Ctx() ctx: CommandContext): Promise<{ data: CalendarView[] }> {
    return { data: await this.queries.execute(new ListCalendarsQuery(ctx.tenantId)) };
  }

  @Get(':id')
  @RequirePermission('tickets:read')
  @ApiOperation({ summary: 'Get a business calendar' })
  @ApiOkResponse({ type: CalendarResponse })
  async get(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Res({ passthrough: true }) res: Response): Promise<CalendarView> {
    const [calendar] = await this.queries.execute(new ListCalendarsQuery(ctx.tenantId, id));
    return withEtag(res, calendar);
  }

  @Patch(':id')
  @RequirePermission('tickets:configure')
  @ApiOperation({ summary: 'Change a business calendar', description: 'What the body names replaces what the calendar had. With a stale If-Match: 412.' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The ETag from your last read' })
  @ApiOkResponse({ type: CalendarResponse })
  async update(
    @Ctx() ctx: CommandContext,
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: UpdateCalendarDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CalendarView> {
    return withEtag(res, await this.commands.execute(new SaveCalendarCommand(ctx, id, body, parseIfMatch(ifMatch))));
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('tickets:configure')
  @ApiOperation({ summary: 'Delete a business calendar', description: 'Only one no group uses (409 names the groups).' })
  @ApiNoContentResponse()
  async remove(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string): Promise<void> {
    await this.commands.execute(new DeleteCalendarCommand(ctx, id));
  }

  @Post(':id/holidays/import')
  @HttpCode(200)
  @RequirePermission('tickets:configure')
  @ApiOperation({
    summary: 'Import holidays from an iCalendar feed',
    description: 'All-day events become holidays (a yearly same-day rule: a recurring holiday; other rules: their dates for five years). Added to the calendar’s holidays, or replacing them.',
  })
  @ApiOkResponse({ type: ImportHolidaysResponse })
  async importHolidays(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Body() body: ImportHolidaysDto, @Res({ passthrough: true }) res: Response): Promise<{ calendar: CalendarView; imported: number }> {
    const result = await this.commands.execute(new ImportHolidaysCommand(ctx, id, body.ics, body.replace));
    res.setHeader('ETag', etagOf(result.calendar.version));
    return result;
  }

  @Get(':id/business-time')
  @RequirePermission('tickets:read')
  @ApiOperation({ summary: 'Business time in the calendar', description: 'Business minutes from `from` to `to`, and/or the instant `addMinutes` business minutes after `from` — how SLA deadlines are computed.' })
  @ApiOkResponse({ type: BusinessTimeResponse })
  businessTime(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Query() query: BusinessTimeQueryDto): Promise<BusinessTimeAnswer> {
    const from = new Date(query.from);
    const to = query.to ? new Date(query.to) : undefined;
    if (!to && query.addMinutes === undefined) throw invalid('to', 'give `to` (business minutes between) or `addMinutes` (the instant after), or both');
    if (to && (to.getTime() < from.getTime() || to.getTime() - from.getTime() > MAX_SPAN_MS)) throw invalid('to', '`to` is after `from`, at most 400 days later');
    return this.queries.execute(new CalculateBusinessTimeQuery(ctx.tenantId, id, from, to, query.addMinutes));
  }
}

const invalid = (field: string, detail: string) => new ProblemException({ status: 422, type: 'validation', title: 'Unprocessable Content', detail, errors: [{ field, message: detail }] });
