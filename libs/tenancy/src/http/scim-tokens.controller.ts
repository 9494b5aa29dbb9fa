import { Controller, Delete, Get, HttpCode, Post, Req } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Ctx, RequirePermission, type CommandContext, type SwitchboardRequest } from '@switchboard/platform';
import { ScimTokenIssueCommand } from '../commands/scim-token-issue/scim-token-issue.command';
import { ScimTokenRevokeCommand } from '../commands/scim-token-revoke/scim-token-revoke.command';
import { ScimTokenGetQuery } from '../queries/scim-token-get/scim-token-get.query';
import { SsoUrls } from '../sso/sso-urls';

export class ScimTokenResponse {
  @ApiProperty() id: string;
  @ApiProperty({ example: 'sb_scim_a1b2c3d4' }) prefix: string;
  @ApiProperty() createdAt: string;
  @ApiProperty({ nullable: true, type: String }) lastUsedAt: string | null;
  @ApiProperty({ description: 'The SCIM base URL to give the directory' }) scimBaseUrl: string;
}

export class CreatedScimTokenResponse extends ScimTokenResponse {
  @ApiProperty({ description: 'Shown once: give it to the directory as its Bearer token' }) token: string;
}

/** The directory's credential: owners and admins create, rotate and revoke it; every change is audited. */
@ApiTags('SCIM provisioning')
@RequirePermission('tenant:manage')
@Controller('tenant/scim-token')
export class ScimTokensController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly urls: SsoUrls,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Create the SCIM token, or rotate it (the old one stops at once); the token is returned once' })
  @ApiCreatedResponse({ type: CreatedScimTokenResponse })
  async issue(@Ctx() ctx: CommandContext, @Req() req: SwitchboardRequest): Promise<CreatedScimTokenResponse> {
    return { ...(await this.commands.execute(new ScimTokenIssueCommand(ctx))), scimBaseUrl: this.urls.scimBase(req) };
  }

  @Get()
  @ApiOperation({ summary: 'The live SCIM token (prefix and last use; never the secret)' })
  @ApiOkResponse({ type: ScimTokenResponse })
  async get(@Ctx() ctx: CommandContext, @Req() req: SwitchboardRequest): Promise<ScimTokenResponse> {
    return { ...(await this.queries.execute(new ScimTokenGetQuery(ctx.tenantId))), scimBaseUrl: this.urls.scimBase(req) };
  }

  @Delete()
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke the SCIM token: provisioning stops' })
  @ApiNoContentResponse()
  async revoke(@Ctx() ctx: CommandContext): Promise<void> {
    await this.commands.execute(new ScimTokenRevokeCommand(ctx));
  }
}
