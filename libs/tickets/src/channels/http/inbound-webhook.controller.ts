import { Body, Controller, Headers, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiBody, ApiConsumes, ApiHeader, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ParseUuidPipe, ProblemException, Public } from '@switchboard/platform';
import type { Request } from 'express';
import { channelsConfig, type ChannelsConfig } from '../channels.registration';
import { AcceptChatInboundCommand, type AcceptedChatUpdate } from '../commands/accept-chat-inbound/accept-chat-inbound.command';
import { AcceptInboundCommand, type AcceptedInbound, type InboundAuth } from '../commands/accept-inbound/accept-inbound.command';
import { AcceptedChatUpdateResponse, AcceptedInboundResponse } from './channels.dto';
import { readMimeUpload } from './read-mime-upload';

const SIGNATURE = /^t=(\d{1,12}),v1=([0-9a-f]{64})$/i;

/** Where inbound-mail services post raw MIME for one channel; authenticated by the channel's secret, never by a user. */
@ApiTags('Channels')
@Controller('channels')
export class InboundWebhookController {
  constructor(
    private readonly commands: CommandBus,
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
