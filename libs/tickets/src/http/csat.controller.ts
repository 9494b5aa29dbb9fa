import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiGoneResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type CommandContext, Ctx, ParseUuidPipe, Public, RateLimit, reportRange, RequirePermission } from '@switchboard/platform';
import { RateTicketCommand, type SurveyVisitor } from '../commands/rate-ticket/rate-ticket.command';
import type { CsatRating } from '../domain/csat';
import { GetCsatSurveyQuery, type CsatSurvey } from '../queries/get-csat-survey/get-csat-survey.query';
import { GetTicketCsatQuery } from '../queries/get-ticket-csat/get-ticket-csat.query';
import { ListCsatQuery, type CsatReport } from '../queries/list-csat/list-csat.query';
import type { CsatView } from '../repositories/csat.repository';
import { CsatRateLimit } from '../tickets.context';
import { CsatReportQueryDto, CsatReportResponse, CsatSurveyResponse, RateTicketDto, TicketCsatResponse } from './csat.dto';

/** Customer satisfaction as agents see it: a ticket's rating, and the ratings of a range with totals. */
@ApiTags('Customer satisfaction')
@Controller()
export class CsatController {
  constructor(private readonly queries: QueryBus) {}

  @Get('tickets/:id/csat')
  @RequirePermission('tickets:read')
  @ApiOperation({ summary: 'A ticket’s satisfaction survey and rating', description: '`csat` is null until the ticket is first solved.' })
  @ApiOkResponse({ type: TicketCsatResponse })
  ticket(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string): Promise<{ csat: CsatView | null }> {
    return this.queries.execute(new GetTicketCsatQuery(ctx.tenantId, id));
  }

  @Get('csat')
  @RequirePermission('reports:read')
  @ApiOperation({
    summary: 'Satisfaction ratings given in a date range, newest first, with totals',
    description: 'Filters apply to the ratings and their totals; the response rate is rated / offered among the surveys offered in the range (group and assignee as of rating time).',
  })
  @ApiOkResponse({ type: CsatReportResponse })
  list(@Ctx() ctx: CommandContext, @Query() query: CsatReportQueryDto): Promise<CsatReport> {
    const { from, to } = reportRange(query);
    const rating: CsatRating | undefined = query.rating === undefined ? undefined : query.rating === 'good' || query.rating === 'bad' ? query.rating : (Number(query.rating) as CsatRating);
    return this.queries.execute(
      new ListCsatQuery(ctx.tenantId, { from: from.toISOString(), to: to.toISOString(), rating, groupId: query.groupId, assigneeId: query.assigneeId }, { limit: query.limit, cursor: query.cursor }),
    );
  }
}

/** The survey behind the link mailed to the requester: no credential, the signed token is the only key. */
@ApiTags('Customer satisfaction (public)')
@Controller('public/csat')
@Public()
@RateLimit(CsatRateLimit)
@ApiNotFoundResponse({ description: 'Not a survey link we signed (forged, tampered, another key), or its ticket is gone (problem+json)' })
@ApiGoneResponse({ description: 'A genuine link past its time: unrated after 14 days (survey-expired), or rated more than 7 days ago (survey-closed)' })
export class PublicCsatController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get(':token')
  @ApiOperation({ summary: 'The survey: ticket number and subject, scale, current rating and whether it can still change' })
  @ApiOkResponse({ type: CsatSurveyResponse })
  get(@Param('token') token: string): Promise<CsatSurvey> {
    return this.queries.execute(new GetCsatSurveyQuery(token));
  }

  @Post(':token')
  @HttpCode(200)
  @ApiOperation({ summary: 'Rate the ticket (or change the rating within 7 days of the first)', description: '400 names `rating` when it does not fit the survey’s scale.' })
  @ApiOkResponse({ type: CsatSurveyResponse })
  rate(@Param('token') token: string, @Body() body: RateTicketDto, @Req() req: { id?: string | number; ip?: string; headers: Record<string, string | string[] | undefined> }): Promise<CsatSurvey> {
    const ua = req.headers['user-agent'];
    const visitor: SurveyVisitor = { ip: req.ip ?? null, userAgent: typeof ua === 'string' ? ua.slice(0, 500) : null, requestId: req.id !== undefined ? String(req.id) : null };
    const comment = typeof body.comment === 'string' && body.comment.trim() !== '' ? body.comment.trim() : null;
    return this.commands.execute(new RateTicketCommand(token, body.rating, comment, visitor));
  }
}
