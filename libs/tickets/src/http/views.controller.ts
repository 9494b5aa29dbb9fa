import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type CommandContext, Ctx, etagOf, type Page, PageQueryDto, parseIfMatch, ParseUuidPipe, RequirePermission, type SwitchboardRequest } from '@switchboard/platform';
import type { Response } from 'express';
import { DeleteViewCommand } from '../commands/delete-view/delete-view.command';
import { SaveViewCommand } from '../commands/save-view/save-view.command';
import { CountViewsQuery, type ViewCountResult } from '../queries/count-views/count-views.query';
import { ListViewTicketsQuery } from '../queries/list-view-tickets/list-view-tickets.query';
import { ListViewsQuery } from '../queries/list-views/list-views.query';
import type { TicketView } from '../repositories/tickets.sql';
import type { ViewView } from '../repositories/views.sql';
import { TicketPageResponse } from './dto';
import { CreateViewDto, UpdateViewDto, ViewCountsQueryDto, ViewCountsResponse, ViewListResponse, ViewResponse } from './views.dto';

/** Owners and admins set up group and shared views. */
const configures = (req: SwitchboardRequest) => (req.principal?.permissions ?? []).includes('tickets:configure');
/** The member looking ("me" in a view); an API key is no one. */
const memberOf = (ctx: CommandContext) => (ctx.actorType === undefined || ctx.actorType === 'user' ? ctx.actorId : null);

const withEtag = (res: Response, view: ViewView) => {
  res.setHeader('ETag', etagOf(view.version));
  return view;
};

/** Saved views over tickets: personal, group and shared, their tickets and their counts. */
@ApiTags('Ticket views')
@Controller('views')
export class ViewsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @RequirePermission('tickets:read')
  @ApiOperation({ summary: 'Save a view', description: 'Personal by default (yours alone). Group views (groupId) and shared views need tickets:configure (403). A group named in the view or its filter must exist (422).' })
  @ApiCreatedResponse({ type: ViewResponse })
  async create(@Ctx() ctx: CommandContext, @Req() req: SwitchboardRequest, @Body() body: CreateViewDto, @Res({ passthrough: true }) res: Response): Promise<ViewView> {
    const view = await this.commands.execute(new SaveViewCommand(ctx, null, body, configures(req)));
    res.setHeader('Location', `/v1/views/${view.id}`);
    return withEtag(res, view);
  }

  @Get()
  @RequirePermission('tickets:read')
  @ApiOperation({ summary: 'The views you see', description: 'Your personal views, your groups’ views and the shared ones, in sidebar order (position, then name).' })
  @ApiOkResponse({ type: ViewListResponse })
  async list(@Ctx() ctx: CommandContext, @Req() req: SwitchboardRequest): Promise<{ data: ViewView[] }> {
    return { data: await this.queries.execute(new ListViewsQuery(ctx.tenantId, memberOf(ctx), configures(req))) };
  }

  @Get('counts')
  @RequirePermission('tickets:read')
  @ApiOperation({
    summary: 'Ticket counts of several views in one call',
    description: 'Cheap enough to poll every 30 s: one statement, each count bounded (capped at 10,000). Ids you do not see are left out of the answer.',
  })
  @ApiOkResponse({ type: ViewCountsResponse })
  counts(@Ctx() ctx: CommandContext, @Req() req: SwitchboardRequest, @Query() query: ViewCountsQueryDto): Promise<{ data: ViewCountResult[]; broken: { viewId: string; detail: string }[]; countedAt: string }> {
    return this.queries.execute(new CountViewsQuery(ctx.tenantId, memberOf(ctx), configures(req), query.ids));
  }

  @Get(':id')
  @RequirePermission('tickets:read')
  @ApiOperation({ summary: 'Get a view' })
  @ApiOkResponse({ type: ViewResponse })
  async get(@Ctx() ctx: CommandContext, @Req() req: SwitchboardRequest, @Param('id', ParseUuidPipe) id: string, @Res({ passthrough: true }) res: Response): Promise<ViewView> {
    const [view] = await this.queries.execute(new ListViewsQuery(ctx.tenantId, memberOf(ctx), configures(req), id));
    return withEtag(res, view);
  }

  @Get(':id/tickets')
  @RequirePermission('tickets:read')
  @ApiOperation({ summary: 'A view’s tickets', description: 'Keyset-paginated like GET /v1/tickets, in the view’s sort; relative time windows and `me` are resolved now, for you.' })
  @ApiOkResponse({ type: TicketPageResponse })
  tickets(@Ctx() ctx: CommandContext, @Req() req: SwitchboardRequest, @Param('id', ParseUuidPipe) id: string, @Query() query: PageQueryDto): Promise<Page<TicketView>> {
    return this.queries.execute(new ListViewTicketsQuery(ctx.tenantId, memberOf(ctx), configures(req), id, { limit: query.limit, cursor: query.cursor }));
  }

  @Patch(':id')
  @RequirePermission('tickets:read')
  @ApiOperation({ summary: 'Change a view', description: 'Your personal views; group and shared views with tickets:configure (403). With a stale If-Match: 412.' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The ETag from your last read' })
  @ApiOkResponse({ type: ViewResponse })
  async update(
    @Ctx() ctx: CommandContext,
    @Req() req: SwitchboardRequest,
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: UpdateViewDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ViewView> {
    return withEtag(res, await this.commands.execute(new SaveViewCommand(ctx, id, body, configures(req), parseIfMatch(ifMatch))));
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('tickets:read')
  @ApiOperation({ summary: 'Delete a view' })
  @ApiNoContentResponse()
  async remove(@Ctx() ctx: CommandContext, @Req() req: SwitchboardRequest, @Param('id', ParseUuidPipe) id: string): Promise<void> {
    await this.commands.execute(new DeleteViewCommand(ctx, id, configures(req)));
  }
}
