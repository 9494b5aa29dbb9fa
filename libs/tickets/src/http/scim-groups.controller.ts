import { Body, Controller, Delete, Get, Header, HttpCode, Param, Patch, Post, Put, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public, type CommandContext, type SwitchboardRequest } from '@switchboard/platform';
import { SCIM_CONTENT_TYPE, ScimCtx, ScimError, ScimExceptionFilter, ScimTokenGuard, SsoUrls } from '@switchboard/tenancy';
import type { Response } from 'express';
import { ScimSaveGroupCommand } from '../commands/scim-save-group/scim-save-group.command';
import type { ScimGroupResource } from '../domain/scim-group';
import { ScimListGroupsQuery, type ScimGroupList } from '../queries/scim-list-groups/scim-list-groups.query';

/**
 * Ticket groups as SCIM Groups (RFC 7644), provisioned by the company's directory with the
 * tenant's SCIM token, beside tenancy's SCIM Users. Bodies and errors are application/scim+json.
 */
@ApiTags('SCIM provisioning')
@Public()
@UseFilters(ScimExceptionFilter)
@UseGuards(ScimTokenGuard)
@Controller('scim/v2/Groups')
export class ScimGroupsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly urls: SsoUrls,
  ) {}

  @Get()
  @Header('Content-Type', SCIM_CONTENT_TYPE)
  @ApiOperation({ summary: 'List ticket groups as SCIM Groups; filter (displayName eq "Billing"), startIndex, count, excludedAttributes=members' })
  list(@ScimCtx() ctx: CommandContext, @Query() query: Record<string, unknown>, @Req() req: SwitchboardRequest): Promise<ScimGroupList> {
    return this.queries.execute(new ScimListGroupsQuery(ctx.tenantId, params(query), this.urls.scimBase(req))) as Promise<ScimGroupList>;
  }

  @Post()
  @HttpCode(201)
  @Header('Content-Type', SCIM_CONTENT_TYPE)
  @ApiOperation({ summary: 'Create a ticket group from the directory (displayName, members: provisioned users)' })
  async create(@ScimCtx() ctx: CommandContext, @Body() body: unknown, @Req() req: SwitchboardRequest, @Res({ passthrough: true }) res: Response): Promise<ScimGroupResource> {
    const group = (await this.commands.execute(new ScimSaveGroupCommand(ctx, { kind: 'create', body }, this.urls.scimBase(req))))!;
    res.setHeader('Location', group.meta.location);
    return group;
  }

  @Get(':id')
  @Header('Content-Type', SCIM_CONTENT_TYPE)
  @ApiOperation({ summary: 'Get a ticket group as a SCIM Group' })
  get(@ScimCtx() ctx: CommandContext, @Param('id') id: string, @Query() query: Record<string, unknown>, @Req() req: SwitchboardRequest): Promise<ScimGroupResource> {
    return this.queries.execute(new ScimListGroupsQuery(ctx.tenantId, { ...params(query), id }, this.urls.scimBase(req))) as Promise<ScimGroupResource>;
  }

  @Put(':id')
  @Header('Content-Type', SCIM_CONTENT_TYPE)
  @ApiOperation({ summary: 'Replace a group’s name and directory members' })
  async replace(@ScimCtx() ctx: CommandContext, @Param('id') id: string, @Body() body: unknown, @Req() req: SwitchboardRequest): Promise<ScimGroupResource> {
    return (await this.commands.execute(new ScimSaveGroupCommand(ctx, { kind: 'replace', id, body }, this.urls.scimBase(req))))!;
  }

  @Patch(':id')
  @Header('Content-Type', SCIM_CONTENT_TYPE)
  @ApiOperation({ summary: 'Patch a group (add/remove members, replace displayName), as Okta and Entra ID send it' })
  async patch(@ScimCtx() ctx: CommandContext, @Param('id') id: string, @Body() body: unknown, @Req() req: SwitchboardRequest): Promise<ScimGroupResource> {
    return (await this.commands.execute(new ScimSaveGroupCommand(ctx, { kind: 'patch', id, body }, this.urls.scimBase(req))))!;
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a group (refused while it has unsolved tickets)' })
  async remove(@ScimCtx() ctx: CommandContext, @Param('id') id: string, @Req() req: SwitchboardRequest): Promise<void> {
    await this.commands.execute(new ScimSaveGroupCommand(ctx, { kind: 'delete', id }, this.urls.scimBase(req)));
  }
}

function params(query: Record<string, unknown>): { filter?: string; startIndex?: string; count?: string; excludedAttributes?: string } {
  const text = (name: string) => {
    const v = query[name];
    if (v !== undefined && typeof v !== 'string') throw new ScimError(400, `${name} must be given once.`, 'invalidValue');
    return v;
  };
  return { filter: text('filter'), startIndex: text('startIndex'), count: text('count'), excludedAttributes: text('excludedAttributes') };
}
