import { Body, Controller, Get, Headers, Patch, Put, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, Ctx, etagOf, parseIfMatch, RequirePermission, type CommandContext, type SwitchboardRequest } from '@switchboard/platform';
import type { Response } from 'express';
import { SetTwoFactorRequirementCommand } from '../commands/set-two-factor-requirement/set-two-factor-requirement.command';
import { UpdateTenantCommand } from '../commands/update-tenant/update-tenant.command';
import { GetTenantQuery } from '../queries/get-tenant/get-tenant.query';
import type { TenantView } from '../repositories/tenants.sql';
import { TenantResponse, UpdateTenantDto } from './dto';
import { TwoFactorRequirementDto, TwoFactorRequirementResponse } from './two-factor.dto';

/** The caller's own tenant: everyone reads it, owners and admins change it. */
@ApiTags('Tenant')
@Controller('tenant')
export class TenantSettingsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @Authenticated()
  @ApiOperation({ summary: 'The tenant of the credential' })
  @ApiOkResponse({ type: TenantResponse })
  async get(@Ctx() ctx: CommandContext, @Res({ passthrough: true }) res: Response): Promise<TenantView> {
    const tenant = await this.queries.execute(new GetTenantQuery(ctx.tenantId));
    res.setHeader('ETag', etagOf(tenant.version));
    return tenant;
  }

  @Patch()
  @RequirePermission('tenant:manage')
  @ApiOperation({ summary: 'Change the tenant’s name, time zone or locale' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'ETag from GET /v1/tenant; a stale one is a 412' })
  @ApiOkResponse({ type: TenantResponse })
  async update(
    @Ctx() ctx: CommandContext,
    @Body() body: UpdateTenantDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TenantView> {
    const tenant = await this.commands.execute(new UpdateTenantCommand(ctx, body, parseIfMatch(ifMatch)));
    res.setHeader('ETag', etagOf(tenant.version));
    return tenant;
  }

  @Put('two-factor-requirement')
  @RequirePermission('tenant:manage')
  @ApiOperation({ summary: 'Owners: require two-factor of every member (members without it enrol at their next sign-in)' })
  @ApiOkResponse({ type: TwoFactorRequirementResponse })
  requireTwoFactor(@Ctx() ctx: CommandContext, @Req() req: SwitchboardRequest, @Body() body: TwoFactorRequirementDto): Promise<{ requireTwoFactor: boolean }> {
    return this.commands.execute(new SetTwoFactorRequirementCommand(ctx, req.principal?.role, body.requireTwoFactor));
  }
}
