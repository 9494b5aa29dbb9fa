import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { Public, RateLimit } from '@switchboard/platform';
import { WidgetRateLimit } from '../channels.registration';
import { PostVisitorMessageCommand } from '../commands/post-visitor-message/post-visitor-message.command';
import { StartVisitorSessionCommand, type StartedVisitorSession } from '../commands/start-visitor-session/start-visitor-session.command';
import { GetVisitorConversationQuery } from '../queries/get-visitor-conversation/get-visitor-conversation.query';
import { GetWidgetConfigQuery, type PublicWidgetConfig } from '../queries/get-widget-config/get-widget-config.query';
import type { VisitorMessage } from '../repositories/widget-sessions.repository';
import { PublicWidgetConfigResponse, StartVisitorSessionDto, VisitorConversationResponse, VisitorMessageDto, VisitorMessageResponse, VisitorSessionResponse } from './widget.dto';

type Request = { id?: string | number };
const requestId = (req: Request) => (req.id !== undefined ? String(req.id) : null);

/**
 * The web chat widget's public side (no credential; the channel by its public key, the page by its
 * Origin, the visitor by their token). Cross-origin by design: `/v1/public/*` answers CORS for any
 * origin and each call checks the Origin against the channel's allowed origins itself.
 */
@ApiTags('Web chat widget')
@Controller('public/widget/:key')
@Public()
@RateLimit(WidgetRateLimit)
@ApiNotFoundResponse({ description: 'No active web channel has this key' })
@ApiForbiddenResponse({ description: 'widget-origin-forbidden: the page’s Origin is not one of the channel’s allowed origins' })
export class WidgetController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The widget’s look and what it asks first' })
  @ApiQuery({ name: 'locale', required: false, description: 'The visitor’s language (e.g. pt-BR) for the UI strings' })
  @ApiOkResponse({ type: PublicWidgetConfigResponse })
  config(@Param('key') key: string, @Headers('origin') origin: string | undefined, @Query('locale') locale: unknown): Promise<PublicWidgetConfig> {
    return this.queries.execute(new GetWidgetConfigQuery(key, origin ?? null, typeof locale === 'string' ? locale.slice(0, 35) : null));
  }

  @Post('sessions')
  @HttpCode(201)
  @ApiOperation({ summary: 'Start a visitor session', description: 'Returns an opaque visitor token (once) bound to this channel and one conversation; name and email as the widget’s collectContact asks.' })
  @ApiCreatedResponse({ type: VisitorSessionResponse })
  start(@Param('key') key: string, @Headers('origin') origin: string | undefined, @Body() body: StartVisitorSessionDto, @Req() req: Request): Promise<StartedVisitorSession> {
    return this.commands.execute(new StartVisitorSessionCommand(key, origin ?? null, body, requestId(req)));
  }

  @Get('messages')
  @ApiOperation({ summary: 'The visitor’s conversation (public messages, oldest first)', description: 'Authorization: Bearer <visitor token from POST …/sessions>.' })
  @ApiOkResponse({ type: VisitorConversationResponse })
  @ApiUnauthorizedResponse({ description: 'visitor-unauthorized: no token, a malformed or expired one, or one of another widget' })
  history(@Param('key') key: string, @Headers('origin') origin: string | undefined, @Headers('authorization') authorization: string | undefined): Promise<{ data: VisitorMessage[] }> {
    return this.queries.execute(new GetVisitorConversationQuery(key, origin ?? null, authorization ?? null));
  }

  @Post('messages')
  @HttpCode(201)
  @ApiOperation({ summary: 'Send a visitor message', description: 'Authorization: Bearer <visitor token>. The first message opens a ticket on the web channel; later ones continue it. Agents’ public replies arrive on the /visitor socket (auth.token = the visitor token) and in the history.' })
  @ApiCreatedResponse({ type: VisitorMessageResponse })
  @ApiUnauthorizedResponse({ description: 'visitor-unauthorized' })
  send(@Param('key') key: string, @Headers('origin') origin: string | undefined, @Headers('authorization') authorization: string | undefined, @Body() body: VisitorMessageDto, @Req() req: Request): Promise<VisitorMessage> {
    return this.commands.execute(new PostVisitorMessageCommand(key, origin ?? null, authorization ?? null, body.body, requestId(req)));
  }
}
