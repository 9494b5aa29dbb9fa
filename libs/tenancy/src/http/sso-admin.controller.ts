import { Body, Controller, Delete, Get, Headers, HttpCode, Put, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Ctx, etagOf, parseIfMatch, RequirePermission, type CommandContext, type SwitchboardRequest } from '@switchboard/platform';
import type { Response } from 'express';
import { SsoConfigureCommand } from '../commands/sso-configure/sso-configure.command';
import { SsoRemoveCommand } from '../commands/sso-remove/sso-remove.command';
import { GetTenantQuery } from '../queries/get-tenant/get-tenant.query';
import { SsoGetConnectionQuery } from '../queries/sso-get-connection/sso-get-connection.query';
import type { SsoConnectionView } from '../sso/sso.sql';
import { SsoUrls } from '../sso/sso-urls';
import { SsoConnectionResponse, SsoSettingsDto } from './sso.dto';

/** The tenant's identity provider: owners and admins only; every change is audited, the client secret never shown. */
@ApiTags('Single sign-on')
@RequirePermission('tenant:manage')
@Controller('tenant/sso')
export class SsoAdminController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly urls: SsoUrls,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The tenant’s single sign-on settings, with the redirect URI to register at the IdP' })
  @ApiOkResponse({ type: SsoConnectionResponse })
  async get(@Ctx() ctx: CommandContext, @Req() req: SwitchboardRequest, @Res({ passthrough: true }) res: Response): Promise<SsoConnectionResponse> {
    return this.present(await this.queries.execute(new SsoGetConnectionQuery(ctx.tenantId)), ctx, req, res);
  }

  @Put()
  @ApiOperation({ summary: 'Configure (or replace) the tenant’s identity provider (OpenID Connect or SAML 2.0)' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'ETag from GET /v1/tenant/sso; a stale one is a 412' })
  @ApiOkResponse({ type: SsoConnectionResponse })
  async put(
    @Ctx() ctx: CommandContext,
    @Body() body: SsoSettingsDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Req() req: SwitchboardRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SsoConnectionResponse> {
    const view = await this.commands.execute(
      new SsoConfigureCommand(
        ctx,
        {
          protocol: body.protocol ?? 'oidc',
          enabled: body.enabled ?? true,
          issuer: body.issuer,
          clientId: body.clientId ?? null,
          samlEntryPoint: body.samlEntryPoint ?? null,
          samlIdpCert: body.samlIdpCert ?? null,
          clientSecret: body.clientSecret,
          domains: body.domains,
          jitProvisioning: body.jitProvisioning ?? true,
          defaultRole: body.defaultRole ?? 'viewer',
          ssoOnly: body.ssoOnly ?? false,
          breakGlassUserId: body.breakGlassUserId ?? null,
        },
        parseIfMatch(ifMatch) ?? undefined,
      ),
    );
    return this.present(view, ctx, req, res);
  }

  @Delete()
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove single sign-on (domains released, passwords accepted again)' })
  @ApiNoContentResponse()
  async remove(@Ctx() ctx: CommandContext): Promise<void> {
    await this.commands.execute(new SsoRemoveCommand(ctx));
  }

  private async present(view: SsoConnectionView, ctx: CommandContext, req: SwitchboardRequest, res: Response): Promise<SsoConnectionResponse> {
    const tenant = await this.queries.execute(new GetTenantQuery(ctx.tenantId));
    res.setHeader('ETag', etagOf(view.version));
    const origin = this.urls.origin(req);
    return {
      ...view,
      redirectUri: SsoUrls.redirectUriFor(origin),
      acsUrl: SsoUrls.acsUrlFor(origin),
      spEntityId: SsoUrls.spEntityIdFor(origin, tenant.slug),
      startUrl: `${origin}${this.urls.startPath(tenant.slug)}`,
    };
  }
}
