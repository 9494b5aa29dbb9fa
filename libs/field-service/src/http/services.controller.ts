import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type CommandContext, Ctx, etagOf, type Page, parseIfMatch, ParseUuidPipe, RequirePermission } from '@switchboard/platform';
import type { Response } from 'express';
import { CreateServiceCommand } from '../commands/create-service/create-service.command';
import { DeleteServiceCommand } from '../commands/delete-service/delete-service.command';
import { UpdateServiceCommand } from '../commands/update-service/update-service.command';
import { GetServiceQuery } from '../queries/get-service/get-service.query';
import { ListServicesQuery } from '../queries/list-services/list-services.query';
import type { ServiceView } from '../repositories/services.sql';
import { CreateServiceDto, ServiceListQueryDto, ServicePageResponse, ServiceResponse, UpdateServiceDto } from './dto';

const withEtag = (res: Response, service: ServiceView) => {
  res.setHeader('ETag', etagOf(service.version));
  return service;
};

@ApiTags('Field service')
@Controller('field-service/services')
export class ServicesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @RequirePermission('jobs:write')
  @ApiOperation({ summary: 'Add a service to the catalog', description: 'Money in integer minor units; the currency is the service’s own (tenants have no currency setting).' })
  @ApiCreatedResponse({ type: ServiceResponse })
  async create(@Ctx() ctx: CommandContext, @Body() body: CreateServiceDto, @Res({ passthrough: true }) res: Response): Promise<ServiceView> {
    const service = await this.commands.execute(new CreateServiceCommand(ctx, body));
    res.setHeader('Location', `/v1/field-service/services/${service.id}`);
    return withEtag(res, service);
  }

  @Get()
  @RequirePermission('jobs:read')
  @ApiOperation({ summary: 'The service catalog, oldest first (deleted services left out)' })
  @ApiOkResponse({ type: ServicePageResponse })
  list(@Ctx() ctx: CommandContext, @Query() query: ServiceListQueryDto): Promise<Page<ServiceView>> {
    return this.queries.execute(new ListServicesQuery(ctx.tenantId, { limit: query.limit, cursor: query.cursor, active: query.active }));
  }

  @Get(':id')
  @RequirePermission('jobs:read')
  @ApiOperation({ summary: 'Get a service' })
  @ApiOkResponse({ type: ServiceResponse })
  async get(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Res({ passthrough: true }) res: Response): Promise<ServiceView> {
    return withEtag(res, await this.queries.execute(new GetServiceQuery(ctx.tenantId, id)));
  }

  @Patch(':id')
  @RequirePermission('jobs:write')
  @ApiOperation({ summary: 'Change a service', description: 'Line items already on jobs keep what they copied. With a stale If-Match: 412, and nothing changes.' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The ETag from your last read' })
  @ApiOkResponse({ type: ServiceResponse })
  async update(
    @Ctx() ctx: CommandContext,
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: UpdateServiceDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ServiceView> {
    return withEtag(res, await this.commands.execute(new UpdateServiceCommand(ctx, id, body, parseIfMatch(ifMatch))));
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('jobs:write')
  @ApiOperation({ summary: 'Take a service out of the catalog', description: 'A soft delete: line items that used it stay as they are.' })
  @ApiNoContentResponse()
  async remove(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string): Promise<void> {
    await this.commands.execute(new DeleteServiceCommand(ctx, id));
  }
}
