import { Body, Controller, Get, Header, Headers, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiBody, ApiConsumes, ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ParseUuidPipe, ProblemException, Public, type SwitchboardRequest } from '@switchboard/platform';
import type { Request } from 'express';
import { channelsConfig, type ChannelsConfig } from '../channels.registration';
import { AcceptChatInboundCommand, type AcceptedChatUpdate } from '../commands/accept-chat-inbound/accept-chat-inbound.command';
import { AcceptInboundCommand, type AcceptedInbound, type InboundAuth } from '../commands/accept-inbound/accept-inbound.command';
import { AcceptWhatsAppWebhookCommand, type AcceptedWhatsAppWebhook } from '../commands/accept-whatsapp-webhook/accept-whatsapp-webhook.command';
import { VerifyWebhookSubscriptionQuery } from '../queries/verify-webhook-subscription/verify-webhook-subscription.query';
import { AcceptedChatUpdateResponse, AcceptedInboundResponse, AcceptedWhatsAppWebhookResponse } from './channels.dto';
import { readMimeUpload } from './read-mime-upload';

const SIGNATURE = /^t=(\d{1,12}),v1=([0-9a-f]{64})$/i;

/** Where inbound-mail services post raw MIME for one channel; authenticated by the channel's secret, never by a user. */
@ApiTags('Channels')
@Controller('channels')
export class InboundWebhookController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    @Inject(channelsConfig.token) private readonly config: ChannelsConfig,
  ) {}

  @Post(':id/inbound/email')
  @Public()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Inbound email webhook (raw MIME)',
    description:
      'multipart/form-data with the raw message in "email" (SendGrid Inbound Parse, raw mode) or "body-mime" (Mailgun). Authenticate with X-Switchboard-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw MIME>")> (replays older than CHANNELS_WEBHOOK_TOLERANCE_SECONDS are refused), or with the secret as ?token= / X-Switchboard-Token for services that cannot sign. Stored durably, then 202; the same Message-ID twice is stored once.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { email: { type: 'string', description: 'The raw MIME message' }, 'body-mime': { type: 'string' } } } })
  @ApiHeader({ name: 'X-Switchboard-Signature', required: false })
  @ApiHeader({ name: 'X-Switchboard-Token', required: false })
  @ApiQuery({ name: 'token', required: false })
  @ApiAcceptedResponse({ type: AcceptedInboundResponse })
  async receive(
    @Param('id', ParseUuidPipe) id: string,
    @Req() req: Request,
    @Headers('x-switchboard-signature') signature: string | undefined,
    @Headers('x-switchboard-token') tokenHeader: string | undefined,
    @Headers('x-request-id') requestId: string | undefined,
    @Query('token') tokenQuery: unknown,
  ): Promise<AcceptedInbound> {
    const auth = this.auth(signature, tokenHeader ?? (typeof tokenQuery === 'string' ? tokenQuery : undefined));
    const raw = await readMimeUpload(req, this.config.CHANNELS_INBOUND_MAX_BYTES);
    return this.commands.execute(new AcceptInboundCommand(id, raw, 'webhook', auth, typeof requestId === 'string' ? requestId.slice(0, 100) : null));
  }

  @Post(':id/inbound/telegram')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Telegram webhook (Bot API updates)',
    description:
      'Register it with setWebhook (url = this route, secret_token = the channel’s webhook secret). Telegram’s X-Telegram-Bot-Api-Secret-Token is compared in constant time. The update is stored durably and answered 200; the same update_id twice is stored once. Updates without a message (edits, callbacks) are acknowledged and not stored.',
  })
  @ApiHeader({ name: 'X-Telegram-Bot-Api-Secret-Token', required: true })
  @ApiBody({ schema: { type: 'object', description: 'A Telegram Update', properties: { update_id: { type: 'integer' }, message: { type: 'object' } }, required: ['update_id'] } })
  @ApiOkResponse({ type: AcceptedChatUpdateResponse })
  async telegram(
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: unknown,
    @Headers('x-telegram-bot-api-secret-token') secretToken: string | undefined,
    @Headers('x-request-id') requestId: string | undefined,
  ): Promise<AcceptedChatUpdate> {
    return this.commands.execute(new AcceptChatInboundCommand(id, 'telegram', body, typeof secretToken === 'string' ? secretToken.slice(0, 300) : undefined, typeof requestId === 'string' ? requestId.slice(0, 100) : null));
  }

  @Get(':id/inbound/whatsapp')
  @Public()
  @Header('content-type', 'text/plain; charset=utf-8')
  @ApiOperation({ summary: 'WhatsApp webhook verification (Meta’s subscribe handshake)', description: 'Answers hub.challenge as text when hub.mode=subscribe and hub.verify_token is the channel’s webhook secret; 403 otherwise.' })
  @ApiQuery({ name: 'hub.mode', required: true })
  @ApiQuery({ name: 'hub.verify_token', required: true })
  @ApiQuery({ name: 'hub.challenge', required: true })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'The challenge, as sent', schema: { type: 'string' } })
  async verifyWhatsApp(@Param('id', ParseUuidPipe) id: string, @Query('hub.mode') mode: unknown, @Query('hub.verify_token') token: unknown, @Query('hub.challenge') challenge: unknown): Promise<string> {
    const text = (v: unknown) => (typeof v === 'string' ? v.slice(0, 300) : undefined);
    return this.queries.execute(new VerifyWebhookSubscriptionQuery(id, text(mode), text(token), text(challenge)));
  }

  @Post(':id/inbound/whatsapp')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'WhatsApp Cloud API webhook (messages and statuses)',
    description:
      'Subscribe the app’s "messages" field with this URL (verify token: the channel’s webhook secret). X-Hub-Signature-256 is checked on the raw body with the app secret, in constant time. Messages are stored once per wamid; statuses (sent, delivered, read, failed) move the matching delivery, never backwards. Items for another phone number id are ignored.',
  })
  @ApiHeader({ name: 'X-Hub-Signature-256', required: true, description: 'sha256=<hex HMAC-SHA256 of the raw body under the app secret>' })
  @ApiBody({ schema: { type: 'object', description: 'A WhatsApp Business Account webhook', properties: { object: { type: 'string', enum: ['whatsapp_business_account'] }, entry: { type: 'array', items: { type: 'object' } } }, required: ['object', 'entry'] } })
  @ApiOkResponse({ type: AcceptedWhatsAppWebhookResponse })
  async whatsapp(
    @Param('id', ParseUuidPipe) id: string,
    @Req() req: SwitchboardRequest,
    @Body() body: unknown,
    @Headers('x-hub-signature-256') signature: string | undefined,
    @Headers('x-request-id') requestId: string | undefined,
  ): Promise<AcceptedWhatsAppWebhook> {
    if (!req.rawBody) throw new ProblemException({ status: 415, type: 'unsupported-media-type', title: 'Unsupported Media Type', detail: 'Post the webhook as application/json.' });
    return this.commands.execute(new AcceptWhatsAppWebhookCommand(id, req.rawBody, body, typeof signature === 'string' ? signature.slice(0, 200) : undefined, typeof requestId === 'string' ? requestId.slice(0, 100) : null));
  }

  private auth(signature: string | undefined, token: string | undefined): InboundAuth {
    if (signature !== undefined) {
      const m = SIGNATURE.exec(signature.trim());
      if (!m) throw new ProblemException({ status: 401, type: 'webhook-unauthorized', title: 'Unauthorized', detail: 'X-Switchboard-Signature must look like t=<unix seconds>,v1=<64 hex digits>.' });
      return { kind: 'signature', timestamp: m[1]!, signature: m[2]! };
    }
    if (token && token.length <= 200) return { kind: 'token', token };
    throw new ProblemException({ status: 401, type: 'webhook-unauthorized', title: 'Unauthorized', detail: 'Authenticate with X-Switchboard-Signature, or the channel’s secret as X-Switchboard-Token or ?token=.' });
  }
}
