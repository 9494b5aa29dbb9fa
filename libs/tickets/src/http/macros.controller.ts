import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type CommandContext, Ctx, etagOf, type Page, parseIfMatch, ParseUuidPipe, requireIfMatch, RequirePermission, type SwitchboardRequest } from '@switchboard/platform';
import { GetMeQuery } from '@switchboard/tenancy';
import type { Response } from 'express';
import { ApplyMacroCommand, type MacroAgent, type MacroApplied } from '../commands/apply-macro/apply-macro.command';
import { BulkApplyMacroCommand, type BulkMacroResult } from '../commands/bulk-apply-macro/bulk-apply-macro.command';
import { ManageMacroCommand } from '../commands/manage-macro/manage-macro.command';
import { GetMacroQuery, ListMacrosQuery } from '../queries/list-macros/list-macros.query';
import { PreviewMacroQuery, type MacroPreview } from '../queries/preview-macro/preview-macro.query';
import type { MacroView } from '../repositories/macros.sql';
import { BulkApplyMacroDto, BulkMacroResponse, CreateMacroDto, MacroAppliedResponse, MacroListQueryDto, MacroPageResponse, MacroPreviewResponse, MacroResponse, UpdateMacroDto } from './macros.dto';

const withEtag = <T extends { version: number }>(res: Response, view: T) => {
  res.setHeader('ETag', etagOf(view.version));
  return view;
};

/** Macros: owners and admins keep them; agents preview and apply them to tickets, one or up to 100 at once. */
@ApiTags('Macros')
@Controller()
export class MacrosController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  /** Who applies the macro, for `{{agent.name}}` and `{{agent.email}}` (an API key shows its name). */
  private async agentOf(req: SwitchboardRequest): Promise<MacroAgent> {
    const me = await this.queries.execute(new GetMeQuery(req.principal!));
    return { name: me.user?.name ?? me.apiKey?.name ?? '', email: me.user?.email ?? '' };
  }

  @Post('macros')
  @RequirePermission('tickets:configure')
  @ApiOperation({ summary: 'Create a macro', description: 'Names are unique in a tenant, ignoring case (409).' })
  @ApiCreatedResponse({ type: MacroResponse })
  async create(@Ctx() ctx: CommandContext, @Body() body: CreateMacroDto, @Res({ passthrough: true }) res: Response): Promise<MacroView> {
    const macro = (await this.commands.execute(new ManageMacroCommand(ctx, { op: 'create', input: body })))!;
    res.setHeader('Location', `/v1/macros/${macro.id}`);
    return withEtag(res, macro);
  }

  @Get('macros')
  @RequirePermission('tickets:read')
  @ApiOperation({ summary: 'List macros by name', description: 'Each is marked `broken` when a group or checklist template it names is gone.' })
  @ApiOkResponse({ type: MacroPageResponse })
  list(@Ctx() ctx: CommandContext, @Query() query: MacroListQueryDto): Promise<Page<MacroView>> {
    return this.queries.execute(new ListMacrosQuery(ctx.tenantId, { limit: query.limit, cursor: query.cursor, active: query.active === undefined ? undefined : query.active === 'true' }));
  }

  @Get('macros/:id')
  @RequirePermission('tickets:read')
  @ApiOperation({ summary: 'Get a macro' })
  @ApiOkResponse({ type: MacroResponse })
  async get(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Res({ passthrough: true }) res: Response): Promise<MacroView> {
    return withEtag(res, await this.queries.execute(new GetMacroQuery(ctx.tenantId, id)));
  }

  @Patch('macros/:id')
  @RequirePermission('tickets:configure')
  @ApiOperation({ summary: 'Change a macro', description: 'Every change counts the version up. `actions` replaces the whole list. With a stale If-Match: 412.' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The ETag from your last read' })
  @ApiOkResponse({ type: MacroResponse })
  async update(
    @Ctx() ctx: CommandContext,
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: UpdateMacroDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<MacroView> {
    return withEtag(res, (await this.commands.execute(new ManageMacroCommand(ctx, { op: 'update', id, input: body, expectedVersion: parseIfMatch(ifMatch) })))!);
  }

  @Delete('macros/:id')
  @HttpCode(204)
  @RequirePermission('tickets:configure')
  @ApiOperation({ summary: 'Delete a macro', description: 'Tickets’ history keeps naming it.' })
  @ApiNoContentResponse()
  async remove(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string): Promise<void> {
    await this.commands.execute(new ManageMacroCommand(ctx, { op: 'delete', id }));
  }

  @Post('macros/:id/apply')
  @HttpCode(200)
  @RequirePermission('tickets:write')
  @ApiOperation({
    summary: 'Apply a macro to up to 100 tickets',
    description: 'Each ticket on its own (no If-Match): the result lists, per ticket, 200 with the ticket or the problem that refused it. A macro that is missing, switched off or broken refuses the whole request.',
  })
  @ApiOkResponse({ type: BulkMacroResponse })
  async bulkApply(@Ctx() ctx: CommandContext, @Req() req: SwitchboardRequest, @Param('id', ParseUuidPipe) id: string, @Body() body: BulkApplyMacroDto): Promise<{ data: BulkMacroResult[] }> {
    return { data: await this.commands.execute(new BulkApplyMacroCommand(ctx, id, body.ticketIds, await this.agentOf(req))) };
  }

  @Post('tickets/:id/macros/:macroId/preview')
  @HttpCode(200)
  @RequirePermission('tickets:write')
  @ApiOperation({ summary: 'Preview a macro on a ticket', description: 'The resulting ticket, messages and checklists, with nothing written. Refused exactly as apply would be.' })
  @ApiOkResponse({ type: MacroPreviewResponse })
  async preview(@Ctx() ctx: CommandContext, @Req() req: SwitchboardRequest, @Param('id', ParseUuidPipe) id: string, @Param('macroId', ParseUuidPipe) macroId: string): Promise<MacroPreview> {
    return this.queries.execute(new PreviewMacroQuery(ctx.tenantId, id, macroId, await this.agentOf(req)));
  }

  @Post('tickets/:id/macros/:macroId/apply')
  @HttpCode(200)
  @RequirePermission('tickets:write')
  @ApiOperation({ summary: 'Apply a macro to a ticket (If-Match required)', description: 'All of its actions or none. Without If-Match: 428; with a stale one: 412, and nothing changes.' })
  @ApiHeader({ name: 'If-Match', required: true, description: 'The ticket’s ETag from your last read' })
  @ApiOkResponse({ type: MacroAppliedResponse })
  async apply(
    @Ctx() ctx: CommandContext,
    @Req() req: SwitchboardRequest,
    @Param('id', ParseUuidPipe) id: string,
    @Param('macroId', ParseUuidPipe) macroId: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<MacroApplied> {
    const expected = requireIfMatch(ifMatch, 'ticket');
    const applied = await this.commands.execute(new ApplyMacroCommand(ctx, id, macroId, await this.agentOf(req), expected));
    res.setHeader('ETag', etagOf(applied.ticket.version));
    return applied;
  }
}
