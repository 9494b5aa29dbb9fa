import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiHeader, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { etagOf, operatorActorOf, operatorContextOf, parseIfMatch, ParseUuidPipe, PlatformAdmin, type SwitchboardRequest } from '@switchboard/platform';
import type { Response } from 'express';
import { AddMemberCommand } from '../commands/add-member/add-member.command';
import { ImpersonateUserCommand, type ImpersonationSession } from '../commands/impersonate-user/impersonate-user.command';
import { ChangeTenantStatusCommand } from '../commands/change-tenant-status/change-tenant-status.command';
import { CreateTenantCommand } from '../commands/create-tenant/create-tenant.command';
import { RequestTenantDeletionCommand } from '../commands/request-tenant-deletion/request-tenant-deletion.command';
import { UpdateTenantCommand } from '../commands/update-tenant/update-tenant.command';
import { GetTenantQuery } from '../queries/get-tenant/get-tenant.query';
import { ListTenantsQuery } from '../queries/list-tenants/list-tenants.query';
import type { TenantView } from '../repositories/tenants.sql';
import { AddedMemberResponse, AddMemberDto, ImpersonateDto, ImpersonationResponse, CreateTenantDto, TenantListQueryDto, TenantPageResponse, TenantResponse, UpdateTenantDto } from './dto';

const withEtag = (res: Response, tenant: TenantView) => {
  res.setHeader('ETag', etagOf(tenant.version));
  return tenant;
};

@ApiTags('Platform admin')
@PlatformAdmin()
@Controller('admin/tenants')
export class AdminTenantsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Create a tenant with its first owner' })
  @ApiCreatedResponse({ type: TenantResponse })
  async create(@Body() body: CreateTenantDto, @Req() req: SwitchboardRequest, @Res({ passthrough: true }) res: Response): Promise<TenantView> {
    const tenant = await this.commands.execute(
      new CreateTenantCommand(operatorActorOf(req), {
        name: body.name,
        slug: body.slug,
        timezone: body.timezone ?? 'UTC',
        locale: body.locale ?? 'en',
        owner: body.owner,
      }),
    );
    res.setHeader('Location', `/v1/admin/tenants/${tenant.id}`);
    return withEtag(res, tenant);
  }

  @Get()
  @ApiOperation({ summary: 'List tenants, newest first' })
  @ApiOkResponse({ type: TenantPageResponse })
  list(@Query() query: TenantListQueryDto): Promise<TenantPageResponse> {
    return this.queries.execute(new ListTenantsQuery(query, query.status));
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get a tenant' })
  @ApiOkResponse({ type: TenantResponse })
  @ApiNotFoundResponse({ description: 'No such tenant (problem+json)' })
  async get(@Param('id', ParseUuidPipe) id: string, @Res({ passthrough: true }) res: Response): Promise<TenantView> {
    return withEtag(res, await this.queries.execute(new GetTenantQuery(id)));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Update name, time zone or locale' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'ETag from a previous read; a stale one is a 412' })
  @ApiOkResponse({ type: TenantResponse })
  async update(
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: UpdateTenantDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Req() req: SwitchboardRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TenantView> {
    const tenant = await this.commands.execute(new UpdateTenantCommand(operatorContextOf(req, id), body, parseIfMatch(ifMatch)));
    return withEtag(res, tenant);
  }

  @Post(':id/members')
  @ApiOperation({ summary: 'Add a user to a tenant with a role (provisioning)', description: 'Creates the user when the email is new.' })
  @ApiCreatedResponse({ type: AddedMemberResponse })
  async addMember(@Param('id', ParseUuidPipe) id: string, @Body() body: AddMemberDto, @Req() req: SwitchboardRequest): Promise<AddedMemberResponse> {
    await this.queries.execute(new GetTenantQuery(id)); // 404 for an unknown tenant, not a foreign-key error
    return this.commands.execute(new AddMemberCommand(operatorContextOf(req, id), body));
  }

  @Post(':id/impersonate')
  @ApiOperation({ summary: 'Act as a user of the tenant for 5 minutes (support)', description: 'Every change made with the token is audited with both identities.' })
  @ApiCreatedResponse({ type: ImpersonationResponse })
  impersonate(@Param('id', ParseUuidPipe) id: string, @Body() body: ImpersonateDto, @Req() req: SwitchboardRequest): Promise<ImpersonationSession> {
    return this.commands.execute(new ImpersonateUserCommand(operatorContextOf(req, id), body.userId));
  }

  @Post(':id/suspend')
  @HttpCode(200)
  @ApiOperation({ summary: 'Suspend a tenant: its credentials get 403 until reactivated' })
  @ApiOkResponse({ type: TenantResponse })
  suspend(@Param('id', ParseUuidPipe) id: string, @Req() req: SwitchboardRequest): Promise<TenantView> {
    return this.commands.execute(new ChangeTenantStatusCommand(operatorContextOf(req, id), 'suspended'));
  }

  @Post(':id/reactivate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reactivate a suspended tenant' })
  @ApiOkResponse({ type: TenantResponse })
  reactivate(@Param('id', ParseUuidPipe) id: string, @Req() req: SwitchboardRequest): Promise<TenantView> {
    return this.commands.execute(new ChangeTenantStatusCommand(operatorContextOf(req, id), 'active'));
  }

  @Delete(':id')
  @HttpCode(202)
  @ApiOperation({ summary: 'Delete a tenant and purge all its data', description: 'Answers 202 at once; the tenant is `deleting` and its credentials stop working; the worker purges its data.' })
  @ApiAcceptedResponse({ type: TenantResponse })
  remove(@Param('id', ParseUuidPipe) id: string, @Req() req: SwitchboardRequest): Promise<TenantView> {
    return this.commands.execute(new RequestTenantDeletionCommand(operatorContextOf(req, id)));
  }
}
