import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiExtraModels, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse, getSchemaPath } from '@nestjs/swagger';
import { Authenticated, Public, RateLimit, type SwitchboardRequest } from '@switchboard/platform';
import type { Session } from '../auth/session-issuer';
import type { SignInResult } from '../auth/sign-in-steps';
import { LoginCommand } from '../commands/login/login.command';
import { LogoutCommand } from '../commands/logout/logout.command';
import { RefreshSessionCommand } from '../commands/refresh-session/refresh-session.command';
import { GetMeQuery, type MeView } from '../queries/get-me/get-me.query';
import { LoginDto, MeResponse, RefreshDto, SessionResponse } from './dto';
import { SignInChallengeResponse } from './two-factor.dto';

const requestId = (req: SwitchboardRequest) => (req.id !== undefined ? String(req.id) : null);

@ApiTags('Authentication')
@Controller()
export class AuthController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post('auth/login')
  @Public()
  @RateLimit('auth')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Sign in with email and password',
    description:
      'Answers a session, or — when the user has a second factor, or the tenant requires one they lack — a short-lived challenge (`status`: `two-factor-required` or `enrolment-required`) for the /v1/auth/two-factor routes.',
  })
  @ApiExtraModels(SignInChallengeResponse)
  @ApiOkResponse({ schema: { oneOf: [{ $ref: getSchemaPath(SessionResponse) }, { $ref: getSchemaPath(SignInChallengeResponse) }] } })
  @ApiUnauthorizedResponse({ description: 'Wrong email or password (one answer for both)' })
  @ApiTooManyRequestsResponse({ description: 'Too many attempts from this IP or for this account' })
  login(@Body() body: LoginDto, @Req() req: SwitchboardRequest): Promise<SignInResult> {
    const ua = req.headers['user-agent'];
    return this.commands.execute(
      new LoginCommand(body.email, body.password, body.tenant, { ip: req.ip ?? null, userAgent: typeof ua === 'string' ? ua.slice(0, 500) : null, requestId: requestId(req) }),
    );
  }

  @Post('auth/refresh')
  @Public()
  @RateLimit('auth')
  @HttpCode(200)
  @ApiOperation({ summary: 'Exchange a refresh token for a new session (the old token stops working)' })
  @ApiOkResponse({ type: SessionResponse })
  refresh(@Body() body: RefreshDto, @Req() req: SwitchboardRequest): Promise<Session> {
    return this.commands.execute(new RefreshSessionCommand(body.refreshToken, requestId(req)));
  }

  @Post('auth/logout')
  @Public()
  @RateLimit('auth')
  @HttpCode(204)
  @ApiOperation({ summary: 'End the sign-in a refresh token belongs to' })
  @ApiNoContentResponse()
  async logout(@Body() body: RefreshDto): Promise<void> {
    await this.commands.execute(new LogoutCommand(body.refreshToken));
  }

  @Get('me')
  @Authenticated()
  @ApiOperation({ summary: 'Who am I: user or API key, tenant, role and permissions' })
  @ApiOkResponse({ type: MeResponse })
  me(@Req() req: SwitchboardRequest): Promise<MeView> {
    return this.queries.execute(new GetMeQuery(req.principal!));
  }
}
