import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiExtraModels, ApiGoneResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { type CommandContext, Ctx, ParseUuidPipe, Public, RateLimit, RequirePermission, type SwitchboardRequest } from '@switchboard/platform';
import type { SignInResult } from '../auth/sign-in-steps';
import { AcceptInvitationCommand } from '../commands/accept-invitation/accept-invitation.command';
import { InviteMemberCommand } from '../commands/invite-member/invite-member.command';
import { RevokeInvitationCommand } from '../commands/revoke-invitation/revoke-invitation.command';
import { ListInvitationsQuery } from '../queries/list-invitations/list-invitations.query';
import type { InvitationView } from '../repositories/invitations.sql';
import { AcceptInvitationDto, InvitationResponse, InviteDto, SessionResponse } from './dto';
import { SignInChallengeResponse, SsoContinuationResponse } from './two-factor.dto';

@ApiTags('Members')
@Controller('invitations')
export class InvitationsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @RequirePermission('members:manage')
  @ApiOperation({ summary: 'Invite someone by email; the link works once and expires in 7 days' })
  @ApiCreatedResponse({ type: InvitationResponse })
  invite(@Ctx() ctx: CommandContext, @Req() req: SwitchboardRequest, @Body() body: InviteDto): Promise<InvitationView> {
    return this.commands.execute(new InviteMemberCommand(ctx, req.principal?.role, body.email, body.role));
  }

  @Get()
  @RequirePermission('members:read')
  @ApiOperation({ summary: 'List invitations and their status' })
  @ApiOkResponse({ type: [InvitationResponse] })
  async list(@Ctx() ctx: CommandContext): Promise<{ data: InvitationView[] }> {
    return { data: await this.queries.execute(new ListInvitationsQuery(ctx.tenantId)) };
  }

  @Delete(':id')
  @RequirePermission('members:manage')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a pending invitation' })
  @ApiNoContentResponse()
  async revoke(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string): Promise<void> {
    await this.commands.execute(new RevokeInvitationCommand(ctx, id));
  }

  @Post('accept')
  @Public()
  @RateLimit('auth')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Accept an invitation with its token; signs in',
    description:
      'A new account sets name and password here. Answers a session, or — when the user has a second factor or the tenant requires one — the same challenge as POST /v1/auth/login, for the /v1/auth/two-factor routes. In a tenant that signs in with SSO only, the person joins without a password and the answer is `{ status: "sso-required", startUrl }`.',
  })
  @ApiExtraModels(SignInChallengeResponse, SsoContinuationResponse)
  @ApiOkResponse({ schema: { oneOf: [{ $ref: getSchemaPath(SessionResponse) }, { $ref: getSchemaPath(SignInChallengeResponse) }, { $ref: getSchemaPath(SsoContinuationResponse) }] } })
  @ApiGoneResponse({ description: 'Invalid, expired, revoked or used invitation (problem+json)' })
  accept(@Body() body: AcceptInvitationDto, @Req() req: SwitchboardRequest): Promise<SignInResult> {
    const ua = req.headers['user-agent'];
    return this.commands.execute(
      new AcceptInvitationCommand(body.token, body.name, body.password, {
        ip: req.ip ?? null,
        userAgent: typeof ua === 'string' ? ua.slice(0, 500) : null,
        requestId: req.id !== undefined ? String(req.id) : null,
      }),
    );
  }
}
