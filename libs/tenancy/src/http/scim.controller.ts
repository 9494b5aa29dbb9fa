import { Body, Controller, Delete, Get, Header, HttpCode, Param, Patch, Post, Put, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public, type CommandContext, type SwitchboardRequest } from '@switchboard/platform';
import type { Response } from 'express';
import { ScimCreateUserCommand } from '../commands/scim-create-user/scim-create-user.command';
import { ScimDeleteUserCommand } from '../commands/scim-delete-user/scim-delete-user.command';
import { ScimUpdateUserCommand } from '../commands/scim-update-user/scim-update-user.command';
import { ScimGetUserQuery } from '../queries/scim-get-user/scim-get-user.query';
import { ScimListUsersQuery, type ScimListResponse } from '../queries/scim-list-users/scim-list-users.query';
import { resourceTypes, schemas, serviceProviderConfig } from '../scim/scim-discovery';
import { SCIM_CONTENT_TYPE, ScimError, ScimExceptionFilter } from '../scim/scim-error';
import { ScimCtx, ScimTokenGuard } from '../scim/scim-token.guard';
import { LIST_SCHEMA, type ScimUserResource } from '../scim/scim-user';
import { SsoUrls } from '../sso/sso-urls';

/**
 * SCIM 2.0 provisioning (RFC 7643/7644) of a tenant's members by its directory, authenticated by
 * the tenant's SCIM token. Bodies and errors are application/scim+json in SCIM's own shapes.
 * Groups are served by the tickets context (ticket groups as SCIM Groups) behind the same token.
 */
@ApiTags('SCIM provisioning')
@Public()
@UseFilters(ScimExceptionFilter)
@Controller('scim/v2')
export class ScimController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly urls: SsoUrls,
  ) {}

  @Get('ServiceProviderConfig')
  @Header('Content-Type', SCIM_CONTENT_TYPE)
  @ApiOperation({ summary: 'SCIM features supported (RFC 7644 §4)' })
  config(@Req() req: SwitchboardRequest) {
    return serviceProviderConfig(this.urls.scimBase(req), `${this.urls.origin(req)}/docs`);
  }

  @Get('ResourceTypes')
  @Header('Content-Type', SCIM_CONTENT_TYPE)
  @ApiOperation({ summary: 'SCIM resource types (User, Group)' })
  resourceTypes(@Req() req: SwitchboardRequest) {
    const resources = resourceTypes(this.urls.scimBase(req));
    return { schemas: [LIST_SCHEMA], totalResults: resources.length, startIndex: 1, itemsPerPage: resources.length, Resources: resources };
  }

  @Get('Schemas')
  @Header('Content-Type', SCIM_CONTENT_TYPE)
  @ApiOperation({ summary: 'SCIM schemas (User, Group)' })
  schemas(@Req() req: SwitchboardRequest) {
    const resources = schemas(this.urls.scimBase(req));
    return { schemas: [LIST_SCHEMA], totalResults: resources.length, startIndex: 1, itemsPerPage: resources.length, Resources: resources };
  }

  @Get('Users')
  @UseGuards(ScimTokenGuard)
  @Header('Content-Type', SCIM_CONTENT_TYPE)
  @ApiOperation({ summary: 'List provisioned users; filter (e.g. userName eq "ada@acme.example"), startIndex, count' })
  list(@ScimCtx() ctx: CommandContext, @Query() query: Record<string, unknown>, @Req() req: SwitchboardRequest): Promise<ScimListResponse> {
    const text = (name: string) => {
      const v = query[name];
      if (v !== undefined && typeof v !== 'string') throw new ScimError(400, `${name} must be given once.`, 'invalidValue');
      return v;
    };
    return this.queries.execute(new ScimListUsersQuery(ctx.tenantId, { filter: text('filter'), startIndex: text('startIndex'), count: text('count') }, this.urls.scimBase(req)));
  }

  @Post('Users')
  @UseGuards(ScimTokenGuard)
  @HttpCode(201)
  @Header('Content-Type', SCIM_CONTENT_TYPE)
  @ApiOperation({ summary: 'Provision a user (active: a member with the provisioning role)' })
  async create(@ScimCtx() ctx: CommandContext, @Body() body: unknown, @Req() req: SwitchboardRequest, @Res({ passthrough: true }) res: Response): Promise<ScimUserResource> {
    const user = await this.commands.execute(new ScimCreateUserCommand(ctx, body, this.urls.scimBase(req)));
    res.setHeader('Location', user.meta.location);
    return user;
  }

  @Get('Users/:id')
  @UseGuards(ScimTokenGuard)
  @Header('Content-Type', SCIM_CONTENT_TYPE)
  @ApiOperation({ summary: 'One provisioned user' })
  get(@ScimCtx() ctx: CommandContext, @Param('id') id: string, @Req() req: SwitchboardRequest): Promise<ScimUserResource> {
    return this.queries.execute(new ScimGetUserQuery(ctx.tenantId, id, this.urls.scimBase(req)));
  }

  @Put('Users/:id')
  @UseGuards(ScimTokenGuard)
  @Header('Content-Type', SCIM_CONTENT_TYPE)
  @ApiOperation({ summary: 'Replace a user (active: false ends their access)' })
  replace(@ScimCtx() ctx: CommandContext, @Param('id') id: string, @Body() body: unknown, @Req() req: SwitchboardRequest): Promise<ScimUserResource> {
    return this.commands.execute(new ScimUpdateUserCommand(ctx, id, { kind: 'replace', body }, this.urls.scimBase(req)));
  }

  @Patch('Users/:id')
  @UseGuards(ScimTokenGuard)
  @Header('Content-Type', SCIM_CONTENT_TYPE)
  @ApiOperation({ summary: 'Patch a user (RFC 7644 §3.5.2); replace active with false to deactivate' })
  patch(@ScimCtx() ctx: CommandContext, @Param('id') id: string, @Body() body: unknown, @Req() req: SwitchboardRequest): Promise<ScimUserResource> {
    return this.commands.execute(new ScimUpdateUserCommand(ctx, id, { kind: 'patch', body }, this.urls.scimBase(req)));
  }

  @Delete('Users/:id')
  @UseGuards(ScimTokenGuard)
  @HttpCode(204)
  @ApiOperation({ summary: 'Deprovision a user (access ends, the SCIM record goes)' })
  async remove(@ScimCtx() ctx: CommandContext, @Param('id') id: string): Promise<void> {
    await this.commands.execute(new ScimDeleteUserCommand(ctx, id));
  }
}
