import { Body, Controller, Get, Headers, HttpCode, Param, Patch, Post, Query, Res, StreamableFile } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { type CommandContext, Ctx, etagOf, ParseUuidPipe, requireIfMatch, RequirePermission } from '@switchboard/platform';
import type { Response } from 'express';
import { CreateChannelCommand } from '../commands/create-channel/create-channel.command';
import { RetryDeliveryCommand } from '../commands/retry-delivery/retry-delivery.command';
import { UpdateChannelCommand } from '../commands/update-channel/update-channel.command';
import { GetInboundRawQuery } from '../queries/get-inbound-raw/get-inbound-raw.query';
import { GetChannelQuery, ListChannelsQuery } from '../queries/list-channels/list-channels.query';
import { ListDeliveriesQuery } from '../queries/list-deliveries/list-deliveries.query';
import { ListInboundQuery } from '../queries/list-inbound/list-inbound.query';
import type { ChannelView, DeliveryView, InboundView } from '../repositories/channels.repository';
import {
  ChannelListResponse,
  ChannelResponse,
  ChannelWithSecretResponse,
  CreateChannelDto,
  DeliveryListQueryDto,
  DeliveryListResponse,
  DeliveryResponse,
  InboundListQueryDto,
  InboundListResponse,
  UpdateChannelDto,
} from './channels.dto';

const webhookUrl = (channel: ChannelView) => (channel.kind === 'web' ? null : `/v1/channels/${channel.id}/inbound/${channel.kind}`);
/** The one tag a tenant pastes into its pages; the script finds the api from its own src. */
const embed = (channel: ChannelView) => (channel.publicKey ? { embedSnippet: `<script src="/widget.js" data-key="${channel.publicKey}" async></script>` } : {});

/** Channel configuration (owners and admins), delivery status and the dead-letter list, inbound messages and their original MIME. */
@ApiTags('Channels')
@Controller('channels')
export class ChannelsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @RequirePermission('tenant:manage')
  @ApiOperation({ summary: 'Create a channel (email, Telegram, WhatsApp or the web chat widget)', description: 'The response carries the webhook secret once; it is stored encrypted and never returned again (rotate it with PATCH). A plan without messaging channels: 402 plan-feature-unavailable.' })
  @ApiCreatedResponse({ type: ChannelWithSecretResponse })
  async create(@Ctx() ctx: CommandContext, @Body() body: CreateChannelDto, @Res({ passthrough: true }) res: Response): Promise<ChannelView & { webhookSecret: string; webhookUrl: string | null }> {
    const { channel, webhookSecret } = await this.commands.execute(new CreateChannelCommand(ctx, body));
    res.setHeader('Location', `/v1/channels/${channel.id}`);
    res.setHeader('ETag', etagOf(channel.version));
    return { ...channel, webhookSecret, webhookUrl: webhookUrl(channel), ...embed(channel) };
  }

  @Get()
  @RequirePermission('tenant:manage')
  @ApiOperation({ summary: 'List the tenant’s channels (never their secrets)' })
  @ApiOkResponse({ type: ChannelListResponse })
  async list(@Ctx() ctx: CommandContext): Promise<{ data: ChannelView[] }> {
    return { data: await this.queries.execute(new ListChannelsQuery(ctx.tenantId)) };
  }

  @Get('deliveries')
  @RequirePermission('tickets:read')
  @ApiOperation({ summary: 'Outbound deliveries, newest first', description: 'status=failed is the dead-letter list; retry one with POST /v1/channels/deliveries/{id}/retry.' })
  @ApiOkResponse({ type: DeliveryListResponse })
  async deliveries(@Ctx() ctx: CommandContext, @Query() query: DeliveryListQueryDto): Promise<{ data: DeliveryView[] }> {
    return { data: await this.queries.execute(new ListDeliveriesQuery(ctx.tenantId, { status: query.status, ticketId: query.ticketId, limit: query.limit })) };
  }

  @Post('deliveries/:id/retry')
  @HttpCode(200)
  @RequirePermission('tickets:write')
  @ApiOperation({ summary: 'Retry a failed delivery', description: 'Queued again with its attempts counted from zero; the mail keeps its Message-ID. 409 unless the delivery failed.' })
  @ApiOkResponse({ type: DeliveryResponse })
  retry(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string): Promise<DeliveryView> {
    return this.commands.execute(new RetryDeliveryCommand(ctx, id));
  }

  @Get('inbound')
  @RequirePermission('tickets:read')
  @ApiOperation({ summary: 'Inbound messages as received, newest first, with what became of each' })
  @ApiOkResponse({ type: InboundListResponse })
  async inbound(@Ctx() ctx: CommandContext, @Query() query: InboundListQueryDto): Promise<{ data: InboundView[] }> {
    return { data: await this.queries.execute(new ListInboundQuery(ctx.tenantId, { ticketId: query.ticketId, status: query.status, limit: query.limit })) };
  }

  @Get('inbound/:id/raw')
  @RequirePermission('tickets:read')
  @ApiOperation({ summary: 'Download the original MIME of an inbound message' })
  @ApiProduces('message/rfc822')
  @ApiOkResponse({ description: 'The message byte for byte (message/rfc822)' })
  async raw(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string): Promise<StreamableFile> {
    const { raw } = await this.queries.execute(new GetInboundRawQuery(ctx.tenantId, id));
    return new StreamableFile(raw, { type: 'message/rfc822', length: raw.length, disposition: `attachment; filename="${id}.eml"` });
  }

  @Get(':id')
  @RequirePermission('tenant:manage')
  @ApiOperation({ summary: 'Get a channel (never its secrets)' })
  @ApiOkResponse({ type: ChannelResponse })
  async get(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Res({ passthrough: true }) res: Response): Promise<ChannelView & { webhookUrl: string | null }> {
    const channel = await this.queries.execute(new GetChannelQuery(ctx.tenantId, id));
    res.setHeader('ETag', etagOf(channel.version));
    return { ...channel, webhookUrl: webhookUrl(channel), ...embed(channel) };
  }

  @Patch(':id')
  @RequirePermission('tenant:manage')
  @ApiOperation({ summary: 'Change a channel (If-Match required)', description: 'SMTP settings are write-only; rotateWebhookSecret returns the new secret once.' })
  @ApiHeader({ name: 'If-Match', required: true, description: 'The ETag from your last read' })
  @ApiOkResponse({ type: ChannelWithSecretResponse })
  async update(
    @Ctx() ctx: CommandContext,
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: UpdateChannelDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ChannelView & { webhookSecret?: string; webhookUrl: string | null }> {
    const { channel, webhookSecret } = await this.commands.execute(new UpdateChannelCommand(ctx, id, body, requireIfMatch(ifMatch, 'channel')));
    res.setHeader('ETag', etagOf(channel.version));
    return { ...channel, ...(webhookSecret ? { webhookSecret } : {}), webhookUrl: webhookUrl(channel) };
  }
}
