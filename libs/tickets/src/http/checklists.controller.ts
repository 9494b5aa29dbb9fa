import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Put, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type CommandContext, Ctx, etagOf, type Page, parseIfMatch, ParseUuidPipe, ProblemException, RequirePermission } from '@switchboard/platform';
import type { Response } from 'express';
import { AddChecklistCommand } from '../commands/add-checklist/add-checklist.command';
import { ChangeChecklistCommand } from '../commands/change-checklist/change-checklist.command';
import { ManageChecklistTemplateCommand } from '../commands/manage-checklist-template/manage-checklist-template.command';
import { UpsertExternalLinkCommand } from '../commands/upsert-external-link/upsert-external-link.command';
import { ListChecklistsQuery, ListChecklistTemplatesQuery } from '../queries/list-checklists/list-checklists.query';
import { ListExternalLinksQuery } from '../queries/list-external-links/list-external-links.query';
import type { ChecklistTemplateView, ChecklistView } from '../repositories/checklists.sql';
import type { ExternalLinkView } from '../repositories/external-links.sql';
import {
  AddChecklistDto,
  AddChecklistItemDto,
  ChangeChecklistItemDto,
  ChecklistListResponse,
  ChecklistResponse,
  ChecklistTemplatePageResponse,
  ChecklistTemplateQueryDto,
  ChecklistTemplateResponse,
  CreateChecklistTemplateDto,
  ExternalLinkListResponse,
  ExternalLinkResponse,
  UpdateChecklistTemplateDto,
  UpsertExternalLinkDto,
} from './checklists.dto';

/** Checklists on tickets (and the tenant's templates for them), and read-only links to work tracked elsewhere. */
@ApiTags('Checklists and external work')
@Controller()
export class ChecklistsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post('checklist-templates')
  @RequirePermission('tickets:configure')
  @ApiOperation({ summary: 'Create a checklist template' })
  @ApiCreatedResponse({ type: ChecklistTemplateResponse })
  async createTemplate(@Ctx() ctx: CommandContext, @Body() body: CreateChecklistTemplateDto, @Res({ passthrough: true }) res: Response): Promise<ChecklistTemplateView> {
    const template = (await this.commands.execute(new ManageChecklistTemplateCommand(ctx, { op: 'create', ...body })))!;
    res.setHeader('ETag', etagOf(template.version));
    return template;
  }

  @Get('checklist-templates')
  @RequirePermission('tickets:read')
  @ApiOperation({ summary: 'The tenant’s checklist templates, oldest first' })
  @ApiOkResponse({ type: ChecklistTemplatePageResponse })
  templates(@Ctx() ctx: CommandContext, @Query() query: ChecklistTemplateQueryDto): Promise<Page<ChecklistTemplateView>> {
    return this.queries.execute(new ListChecklistTemplatesQuery(ctx.tenantId, { limit: query.limit, cursor: query.cursor }));
  }

  @Patch('checklist-templates/:id')
  @RequirePermission('tickets:configure')
  @ApiOperation({ summary: 'Change a checklist template', description: 'Checklists already made from it keep their items.' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The ETag from your last read' })
  @ApiOkResponse({ type: ChecklistTemplateResponse })
  async updateTemplate(
    @Ctx() ctx: CommandContext,
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: UpdateChecklistTemplateDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ChecklistTemplateView> {
    const template = (await this.commands.execute(new ManageChecklistTemplateCommand(ctx, { op: 'update', id, ...body, expectedVersion: parseIfMatch(ifMatch) })))!;
    res.setHeader('ETag', etagOf(template.version));
    return template;
  }

  @Delete('checklist-templates/:id')
  @HttpCode(204)
  @RequirePermission('tickets:configure')
  @ApiOperation({ summary: 'Delete a checklist template', description: 'Checklists made from it stay.' })
  @ApiNoContentResponse()
  async deleteTemplate(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string): Promise<void> {
    await this.commands.execute(new ManageChecklistTemplateCommand(ctx, { op: 'delete', id }));
  }

  @Post('tickets/:id/checklists')
  @RequirePermission('tickets:write')
  @ApiOperation({ summary: 'Add a checklist to a ticket', description: 'From a template (templateId) or written on the spot (title and items).' })
  @ApiCreatedResponse({ type: ChecklistResponse })
  add(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Body() body: AddChecklistDto): Promise<ChecklistView> {
    return this.commands.execute(new AddChecklistCommand(ctx, id, body));
  }

  @Get('tickets/:id/checklists')
  @RequirePermission('tickets:read')
  @ApiOperation({ summary: 'A ticket’s checklists with their items' })
  @ApiOkResponse({ type: ChecklistListResponse })
  list(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string): Promise<{ data: ChecklistView[] }> {
    return this.queries.execute(new ListChecklistsQuery(ctx.tenantId, id));
  }

  @Delete('tickets/:id/checklists/:checklistId')
  @HttpCode(204)
  @RequirePermission('tickets:write')
  @ApiOperation({ summary: 'Remove a checklist from a ticket' })
  @ApiNoContentResponse()
  async remove(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Param('checklistId', ParseUuidPipe) checklistId: string): Promise<void> {
    await this.commands.execute(new ChangeChecklistCommand(ctx, id, checklistId, { op: 'delete' }));
  }

  @Post('tickets/:id/checklists/:checklistId/items')
  @RequirePermission('tickets:write')
  @ApiOperation({ summary: 'Add an item at the end of a checklist', description: 'At most 100 items (422 checklist-full).' })
  @ApiCreatedResponse({ type: ChecklistResponse })
  async addItem(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Param('checklistId', ParseUuidPipe) checklistId: string, @Body() body: AddChecklistItemDto): Promise<ChecklistView> {
    return (await this.commands.execute(new ChangeChecklistCommand(ctx, id, checklistId, { op: 'add', text: body.text })))!;
  }

  @Patch('tickets/:id/checklists/:checklistId/items/:itemId')
  @RequirePermission('tickets:write')
  @ApiOperation({ summary: 'Tick, untick or rename an item', description: 'Ticking records who and when; ticking a ticked item keeps the first. Send either done or text.' })
  @ApiOkResponse({ type: ChecklistResponse })
  async changeItem(
    @Ctx() ctx: CommandContext,
    @Param('id', ParseUuidPipe) id: string,
    @Param('checklistId', ParseUuidPipe) checklistId: string,
    @Param('itemId', ParseUuidPipe) itemId: string,
    @Body() body: ChangeChecklistItemDto,
  ): Promise<ChecklistView> {
    // One change per request, so each is one transaction (and one history entry).
    if ((body.done === undefined) === (body.text === undefined)) throw badItemChange();
    const change = body.done !== undefined ? { op: 'check' as const, itemId, done: body.done } : { op: 'rename' as const, itemId, text: body.text! };
    return (await this.commands.execute(new ChangeChecklistCommand(ctx, id, checklistId, change)))!;
  }

  @Delete('tickets/:id/checklists/:checklistId/items/:itemId')
  @HttpCode(204)
  @RequirePermission('tickets:write')
  @ApiOperation({ summary: 'Remove an item from a checklist' })
  @ApiNoContentResponse()
  async removeItem(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Param('checklistId', ParseUuidPipe) checklistId: string, @Param('itemId', ParseUuidPipe) itemId: string): Promise<void> {
    await this.commands.execute(new ChangeChecklistCommand(ctx, id, checklistId, { op: 'remove', itemId }));
  }

  @Put('tickets/:id/external-links')
  @RequirePermission('tickets:links')
  @ApiOperation({
    summary: 'Create or update a link to outside work (integrations only)',
    description: 'An API key with the tickets:links scope; keyed by kind, system and externalId, so sending the same link again updates it. 201 when new, 200 when updated.',
  })
  @ApiOkResponse({ type: ExternalLinkResponse })
  async upsertLink(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Body() body: UpsertExternalLinkDto, @Res({ passthrough: true }) res: Response): Promise<ExternalLinkView> {
    const fields = {
      kind: body.kind,
      system: body.system,
      externalId: body.externalId,
      title: body.title ?? null,
      status: body.status ?? null,
      url: body.url ?? null,
      dueAt: body.dueAt ? new Date(body.dueAt).toISOString() : null,
      assignee: body.assignee ?? null,
      agentKey: body.agentKey ?? null,
      purpose: body.purpose ?? null,
      outcome: body.outcome ?? null,
      confidence: body.confidence ?? null,
    };
    const { link, created } = await this.commands.execute(new UpsertExternalLinkCommand(ctx, id, fields));
    res.status(created ? 201 : 200);
    return link!;
  }

  @Get('tickets/:id/external-links')
  @RequirePermission('tickets:read')
  @ApiOperation({ summary: 'A ticket’s links to outside work (tasks, AI agent sessions), most recently updated first' })
  @ApiOkResponse({ type: ExternalLinkListResponse })
  links(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string): Promise<{ data: ExternalLinkView[] }> {
    return this.queries.execute(new ListExternalLinksQuery(ctx.tenantId, id));
  }

  @Delete('tickets/:id/external-links/:linkId')
  @HttpCode(204)
  @RequirePermission('tickets:links')
  @ApiOperation({ summary: 'Remove a link to outside work (integrations only)' })
  @ApiNoContentResponse()
  async removeLink(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Param('linkId', ParseUuidPipe) linkId: string): Promise<void> {
    await this.commands.execute(new UpsertExternalLinkCommand(ctx, id, null, linkId));
  }
}

const badItemChange = () =>
  new ProblemException({ status: 400, type: 'validation-failed', title: 'Bad Request', detail: 'Send either done (true or false) or text, one change at a time.', errors: [{ field: 'done', message: 'exactly one of done and text is required' }] });
