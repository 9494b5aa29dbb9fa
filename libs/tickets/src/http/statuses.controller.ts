import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type CommandContext, Ctx, etagOf, parseIfMatch, ParseUuidPipe, RequirePermission } from '@switchboard/platform';
import type { Response } from 'express';
import { DeleteStatusCommand } from '../commands/delete-status/delete-status.command';
import { SaveStatusCommand } from '../commands/save-status/save-status.command';
import { ListStatusesQuery, type StatusCatalog } from '../queries/list-statuses/list-statuses.query';
import type { StatusView } from '../repositories/statuses.sql';
import { CreateStatusDto, StatusCatalogResponse, StatusResponse, UpdateStatusDto } from './statuses.dto';

const withEtag = (res: Response, status: StatusView) => {
  res.setHeader('ETag', etagOf(status.version));
  return status;
};

/** Custom ticket statuses, each mapped onto a base category; owners and admins set them up. */
@ApiTags('Ticket statuses')
@Controller('ticket-statuses')
export class StatusesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @RequirePermission('tickets:configure')
  @ApiOperation({ summary: 'Create a custom status', description: 'Labels are unique ignoring case (409). Tickets take it with PATCH /v1/tickets/{id} { customStatusId }.' })
  @ApiCreatedResponse({ type: StatusResponse })
  async create(@Ctx() ctx: CommandContext, @Body() body: CreateStatusDto, @Res({ passthrough: true }) res: Response): Promise<StatusView> {
    const status = await this.commands.execute(new SaveStatusCommand(ctx, null, body));
    res.setHeader('Location', `/v1/ticket-statuses/${status.id}`);
    return withEtag(res, status);
  }

  @Get()
  @RequirePermission('tickets:read')
  @ApiOperation({ summary: 'The tenant’s statuses', description: 'Custom statuses by category, and the label each category shows by default.' })
  @ApiOkResponse({ type: StatusCatalogResponse })
  list(@Ctx() ctx: CommandContext): Promise<StatusCatalog> {
    return this.queries.execute(new ListStatusesQuery(ctx.tenantId));
  }

  @Get(':id')
  @RequirePermission('tickets:read')
  @ApiOperation({ summary: 'Get a custom status' })
  @ApiOkResponse({ type: StatusResponse })
  async get(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Res({ passthrough: true }) res: Response): Promise<StatusView> {
    return withEtag(res, (await this.queries.execute(new ListStatusesQuery(ctx.tenantId, id))).data[0]!);
  }

  @Patch(':id')
  @RequirePermission('tickets:configure')
  @ApiOperation({ summary: 'Change a custom status', description: 'Labels, description, order, active. The category stays (422). With a stale If-Match: 412.' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The ETag from your last read' })
  @ApiOkResponse({ type: StatusResponse })
  async update(
    @Ctx() ctx: CommandContext,
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: UpdateStatusDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StatusView> {
    return withEtag(res, await this.commands.execute(new SaveStatusCommand(ctx, id, body, parseIfMatch(ifMatch))));
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('tickets:configure')
  @ApiOperation({ summary: 'Delete a custom status', description: 'Only one no ticket is in (409 with the count: deactivate it instead).' })
  @ApiNoContentResponse()
  async remove(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string): Promise<void> {
    await this.commands.execute(new DeleteStatusCommand(ctx, id));
  }
}
