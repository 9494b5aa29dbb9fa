import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { Authenticated, Public, RateLimit, type SwitchboardRequest } from '@switchboard/platform';
import type { Session } from '../auth/session-issuer';
import { LoginCommand } from '../commands/login/login.command';
import { LogoutCommand } from '../commands/logout/logout.command';
import { RefreshSessionCommand } from '../commands/refresh-session/refresh-session.command';
import { GetMeQuery, type MeView } from '../queries/get-me/get-me.query';
import { LoginDto, MeResponse, RefreshDto, SessionResponse } from './dto';

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
  @ApiOperation({ summary: 'Sign in with email and password' })
  @ApiOkResponse({ type: SessionResponse })
  @ApiUnauthorizedResponse({ description: 'Wrong email or password (one answer for both)' })
  @ApiTooManyRequestsResponse({ description: 'Too many attempts from this IP or for this account' })
  login(@Body() body: LoginDto, @Req() req: SwitchboardRequest): Promise<Session> {
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
