import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type CommandContext, Ctx, etagOf, type Page, PageQueryDto, parseIfMatch, ParseUuidPipe, RequirePermission } from '@switchboard/platform';
import type { Response } from 'express';
import { ManageTicketFieldCommand } from '../commands/manage-ticket-field/manage-ticket-field.command';
import { ManageTicketFormCommand } from '../commands/manage-ticket-form/manage-ticket-form.command';
import { GetTicketFieldQuery, GetTicketFormQuery, ListTicketFieldsQuery, ListTicketFormsQuery } from '../queries/list-ticket-fields/list-ticket-fields.query';
import type { TicketFieldView, TicketFormView } from '../repositories/custom-fields.sql';
import {
  CreateTicketFieldDto,
  CreateTicketFormDto,
  TicketFieldListQueryDto,
  TicketFieldPageResponse,
  TicketFieldResponse,
  TicketFormPageResponse,
  TicketFormResponse,
  UpdateTicketFieldDto,
  UpdateTicketFormDto,
} from './ticket-fields.dto';

const withEtag = <T extends { version: number }>(res: Response, view: T) => {
  res.setHeader('ETag', etagOf(view.version));
  return view;
};

/** Custom ticket fields: everyone who reads tickets reads their definitions; owners and admins set them up. */
@ApiTags('Ticket fields and forms')
@Controller('ticket-fields')
export class TicketFieldsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @RequirePermission('tickets:configure')
  @ApiOperation({ summary: 'Define a custom ticket field', description: 'The key and type are fixed once created; keys are unique in the tenant, deleted fields included (409).' })
  @ApiCreatedResponse({ type: TicketFieldResponse })
  async create(@Ctx() ctx: CommandContext, @Body() body: CreateTicketFieldDto, @Res({ passthrough: true }) res: Response): Promise<TicketFieldView> {
    const { key, type, ...input } = body;
    const field = (await this.commands.execute(new ManageTicketFieldCommand(ctx, { op: 'create', key, type, input })))!;
    res.setHeader('Location', `/v1/ticket-fields/${field.id}`);
    return withEtag(res, field);
  }

  @Get()
  @RequirePermission('tickets:read')
  @ApiOperation({ summary: 'List custom ticket fields, oldest first' })
  @ApiOkResponse({ type: TicketFieldPageResponse })
  list(@Ctx() ctx: CommandContext, @Query() query: TicketFieldListQueryDto): Promise<Page<TicketFieldView>> {
    return this.queries.execute(new ListTicketFieldsQuery(ctx.tenantId, { limit: query.limit, cursor: query.cursor, includeDeleted: query.includeDeleted }));
  }

  @Get(':id')
  @RequirePermission('tickets:read')
  @ApiOperation({ summary: 'Get a custom ticket field (a deleted one too: old values name it)' })
  @ApiOkResponse({ type: TicketFieldResponse })
  async get(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Res({ passthrough: true }) res: Response): Promise<TicketFieldView> {
    return withEtag(res, await this.queries.execute(new GetTicketFieldQuery(ctx.tenantId, id)));
  }

  @Patch(':id')
  @RequirePermission('tickets:configure')
  @ApiOperation({ summary: 'Change a field’s label, options, pattern or requirements', description: 'Options may be deactivated or relabelled, never removed. With a stale If-Match: 412.' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The ETag from your last read' })
  @ApiOkResponse({ type: TicketFieldResponse })
  async update(
    @Ctx() ctx: CommandContext,
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: UpdateTicketFieldDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TicketFieldView> {
    return withEtag(res, (await this.commands.execute(new ManageTicketFieldCommand(ctx, { op: 'update', id, changes: body, expectedVersion: parseIfMatch(ifMatch) })))!);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('tickets:configure')
  @ApiOperation({ summary: 'Delete a custom field (softly)', description: 'It takes no new values and leaves forms and filters (a filter over it is a 422); tickets keep and show their old values.' })
  @ApiNoContentResponse()
  async remove(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string): Promise<void> {
    await this.commands.execute(new ManageTicketFieldCommand(ctx, { op: 'delete', id }));
  }
}

/** Ticket forms: which custom fields a ticket has, in order; one may be the default for new tickets. */
@ApiTags('Ticket fields and forms')
@Controller('ticket-forms')
export class TicketFormsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @RequirePermission('tickets:configure')
  @ApiOperation({ summary: 'Create a ticket form', description: 'Names are unique ignoring case (409); every field must be a live field of the tenant (422).' })
  @ApiCreatedResponse({ type: TicketFormResponse })
  async create(@Ctx() ctx: CommandContext, @Body() body: CreateTicketFormDto, @Res({ passthrough: true }) res: Response): Promise<TicketFormView> {
    const form = (await this.commands.execute(new ManageTicketFormCommand(ctx, { op: 'create', input: body })))!;
    res.setHeader('Location', `/v1/ticket-forms/${form.id}`);
    return withEtag(res, form);
  }

  @Get()
  @RequirePermission('tickets:read')
  @ApiOperation({ summary: 'List ticket forms by name' })
  @ApiOkResponse({ type: TicketFormPageResponse })
  list(@Ctx() ctx: CommandContext, @Query() query: PageQueryDto): Promise<Page<TicketFormView>> {
    return this.queries.execute(new ListTicketFormsQuery(ctx.tenantId, { limit: query.limit, cursor: query.cursor }));
  }

  @Get(':id')
  @RequirePermission('tickets:read')
  @ApiOperation({ summary: 'Get a ticket form' })
  @ApiOkResponse({ type: TicketFormResponse })
  async get(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Res({ passthrough: true }) res: Response): Promise<TicketFormView> {
    return withEtag(res, await this.queries.execute(new GetTicketFormQuery(ctx.tenantId, id)));
  }

  @Patch(':id')
  @RequirePermission('tickets:configure')
  @ApiOperation({ summary: 'Change a ticket form', description: 'fields replaces the whole list. With a stale If-Match: 412.' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The ETag from your last read' })
  @ApiOkResponse({ type: TicketFormResponse })
  async update(
    @Ctx() ctx: CommandContext,
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: UpdateTicketFormDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TicketFormView> {
    return withEtag(res, (await this.commands.execute(new ManageTicketFormCommand(ctx, { op: 'update', id, changes: body, expectedVersion: parseIfMatch(ifMatch) })))!);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('tickets:configure')
  @ApiOperation({ summary: 'Delete a ticket form (softly)', description: 'Tickets on it keep their formId and values; new tickets can no longer choose it.' })
  @ApiNoContentResponse()
  async remove(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string): Promise<void> {
    await this.commands.execute(new ManageTicketFormCommand(ctx, { op: 'delete', id }));
  }
}
