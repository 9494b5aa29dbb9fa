import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type CommandContext, Ctx, etagOf, type Page, parseIfMatch, ParseUuidPipe, RequirePermission } from '@switchboard/platform';
import type { Response } from 'express';
import { DeleteOrganizationCommand } from '../commands/delete-organization/delete-organization.command';
import { SaveOrganizationCommand } from '../commands/save-organization/save-organization.command';
import { GetOrganizationQuery } from '../queries/get-organization/get-organization.query';
import { ListOrganizationsQuery } from '../queries/list-organizations/list-organizations.query';
import type { OrganizationView } from '../repositories/organizations.sql';
import { CreateOrganizationDto, ListQueryDto, OrganizationPageResponse, OrganizationResponse, UpdateOrganizationDto } from './dto';

const withEtag = (res: Response, organization: OrganizationView) => {
  res.setHeader('ETag', etagOf(organization.version));
  return organization;
};

@ApiTags('Organizations')
@Controller('organizations')
export class OrganizationsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @RequirePermission('customers:write')
  @ApiOperation({ summary: 'Create an organization' })
  @ApiCreatedResponse({ type: OrganizationResponse })
  async create(@Ctx() ctx: CommandContext, @Body() body: CreateOrganizationDto, @Res({ passthrough: true }) res: Response): Promise<OrganizationView> {
    const organization = await this.commands.execute(new SaveOrganizationCommand(ctx, null, body));
    res.setHeader('Location', `/v1/organizations/${organization.id}`);
    return withEtag(res, organization);
  }

  @Get()
  @RequirePermission('customers:read')
  @ApiOperation({ summary: 'List or search organizations (name or domain), newest first' })
  @ApiOkResponse({ type: OrganizationPageResponse })
  list(@Ctx() ctx: CommandContext, @Query() query: ListQueryDto): Promise<Page<OrganizationView>> {
    return this.queries.execute(new ListOrganizationsQuery(ctx.tenantId, query));
  }

  @Get(':id')
  @RequirePermission('customers:read')
  @ApiOperation({ summary: 'Get an organization' })
  @ApiOkResponse({ type: OrganizationResponse })
  async get(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Res({ passthrough: true }) res: Response): Promise<OrganizationView> {
    return withEtag(res, await this.queries.execute(new GetOrganizationQuery(ctx.tenantId, id)));
  }

  @Patch(':id')
  @RequirePermission('customers:write')
  @ApiOperation({ summary: 'Change an organization' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'ETag from a previous read; a stale one is a 412' })
  @ApiOkResponse({ type: OrganizationResponse })
  async update(
    @Ctx() ctx: CommandContext,
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: UpdateOrganizationDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<OrganizationView> {
    return withEtag(res, await this.commands.execute(new SaveOrganizationCommand(ctx, id, body, parseIfMatch(ifMatch))));
  }

  @Delete(':id')
  @RequirePermission('customers:write')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete an organization; its contacts stay, without one' })
  @ApiNoContentResponse()
  async remove(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string): Promise<void> {
    await this.commands.execute(new DeleteOrganizationCommand(ctx, id));
  }
}
