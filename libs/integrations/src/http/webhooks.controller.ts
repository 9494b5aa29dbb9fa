import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type CommandContext, Ctx, etagOf, parseIfMatch, ParseUuidPipe, RequirePermission, type Page } from '@switchboard/platform';
import type { Response } from 'express';
import { DeleteWebhookCommand } from '../commands/delete-webhook/delete-webhook.command';
import { PingWebhookCommand, type PingResult } from '../commands/ping-webhook/ping-webhook.command';
import { RedeliverWebhookCommand } from '../commands/redeliver-webhook/redeliver-webhook.command';
import { RotateWebhookSecretCommand } from '../commands/rotate-webhook-secret/rotate-webhook-secret.command';
import { SaveWebhookCommand, type CreatedWebhook } from '../commands/save-webhook/save-webhook.command';
import { ListWebhookDeliveriesQuery } from '../queries/list-webhook-deliveries/list-webhook-deliveries.query';
import { ListWebhooksQuery } from '../queries/list-webhooks/list-webhooks.query';
import type { DeliveryView, EndpointView } from '../repositories/webhooks.sql';
import {
  CreateWebhookDto,
  DeliveriesQueryDto,
  DeliveryListResponse,
  DeliveryResponse,
  PingResponse,
  UpdateWebhookDto,
  WebhookListResponse,
  WebhookResponse,
  WebhookWithSecretResponse,
} from './webhooks.dto';

const withEtag = <T extends { version: number }>(res: Response, view: T): T => {
  res.setHeader('ETag', etagOf(view.version));
  return view;
};
const withSecret = ({ endpoint, secret }: CreatedWebhook) => ({ ...endpoint, secret });

/** Outbound webhooks: endpoints that receive the tenant's events, signed, with retries and a delivery log. */
@ApiTags('Webhooks')
@Controller('webhooks')
@RequirePermission('webhooks:manage')
export class WebhooksController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Create a webhook endpoint',
    description: 'An https URL on a public host and the event types it receives. The answer carries the signing secret (`whsec_…`) this once; later reads show only a hint.',
  })
  @ApiCreatedResponse({ type: WebhookWithSecretResponse })
  async create(@Ctx() ctx: CommandContext, @Body() body: CreateWebhookDto, @Res({ passthrough: true }) res: Response) {
    const created = (await this.commands.execute(new SaveWebhookCommand(ctx, null, body))) as CreatedWebhook;
    res.setHeader('Location', `/v1/webhooks/${created.endpoint.id}`);
    return withEtag(res, withSecret(created));
  }

  @Get()
  @ApiOperation({ summary: 'The tenant’s webhook endpoints, oldest first' })
  @ApiOkResponse({ type: WebhookListResponse })
  async list(@Ctx() ctx: CommandContext): Promise<{ data: EndpointView[] }> {
    return { data: await this.queries.execute(new ListWebhooksQuery(ctx.tenantId)) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get a webhook endpoint' })
  @ApiOkResponse({ type: WebhookResponse })
  async get(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Res({ passthrough: true }) res: Response): Promise<EndpointView> {
    const [endpoint] = await this.queries.execute(new ListWebhooksQuery(ctx.tenantId, id));
    return withEtag(res, endpoint!);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a webhook endpoint', description: 'What the body names replaces what it had; `active: true` turns a disabled endpoint back on. With a stale If-Match: 412.' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The ETag from your last read' })
  @ApiOkResponse({ type: WebhookResponse })
  async update(
    @Ctx() ctx: CommandContext,
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: UpdateWebhookDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<EndpointView> {
    return withEtag(res, (await this.commands.execute(new SaveWebhookCommand(ctx, id, body, parseIfMatch(ifMatch)))) as EndpointView);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a webhook endpoint', description: 'With its delivery log; pending deliveries are dropped.' })
  @ApiNoContentResponse()
  async remove(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string): Promise<void> {
    await this.commands.execute(new DeleteWebhookCommand(ctx, id));
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Rotate the signing secret',
    description: 'A new secret, shown this once. For 24 h deliveries carry two signatures (new and previous secret), so the receiver can switch without missing a message.',
  })
  @ApiOkResponse({ type: WebhookWithSecretResponse })
  async rotate(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Res({ passthrough: true }) res: Response) {
    return withEtag(res, withSecret(await this.commands.execute(new RotateWebhookSecretCommand(ctx, id))));
  }

  @Post(':id/ping')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send a test delivery now', description: 'A signed `webhook.ping` event, sent synchronously; answers what the receiver said (or why it could not be reached). Not logged.' })
  @ApiOkResponse({ type: PingResponse })
  ping(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string): Promise<PingResult> {
    return this.commands.execute(new PingWebhookCommand(ctx, id));
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: 'The endpoint’s delivery log, newest first', description: 'Status, attempts, the last answer’s status, duration and first 2 KB, and when the next retry is due.' })
  @ApiOkResponse({ type: DeliveryListResponse })
  deliveries(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Query() query: DeliveriesQueryDto): Promise<Page<DeliveryView>> {
    return this.queries.execute(new ListWebhookDeliveriesQuery(ctx.tenantId, id, query.limit, query.cursor, query.status));
  }

  @Post(':id/deliveries/:deliveryId/redeliver')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send a delivery again', description: 'Same Webhook-Id and body, due now, with a fresh 24 h of retries. 409 while the endpoint is disabled or the delivery is in flight.' })
  @ApiAcceptedResponse({ type: DeliveryResponse })
  redeliver(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Param('deliveryId', ParseUuidPipe) deliveryId: string): Promise<DeliveryView> {
    return this.commands.execute(new RedeliverWebhookCommand(ctx, id, deliveryId));
  }
}
