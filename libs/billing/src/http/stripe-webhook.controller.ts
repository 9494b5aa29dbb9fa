import { Controller, Headers, HttpCode, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ProblemException, Public, type SwitchboardRequest } from '@switchboard/platform';
import { ApplyStripeEventCommand, type StripeWebhookOutcome } from '../commands/apply-stripe-event/apply-stripe-event.command';
import { StripeWebhookResponse } from './billing.dto';

@ApiTags('Billing')
@Controller('billing/stripe')
export class StripeWebhookController {
  constructor(private readonly commands: CommandBus) {}

  @Post('webhook')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Stripe webhook (subscriptions and completed checkouts)',
    description:
      'Stripe-Signature is verified on the raw body with STRIPE_WEBHOOK_SECRET and the timestamp tolerance (STRIPE_WEBHOOK_TOLERANCE_S); a wrong or old signature is a 400 and changes nothing. Applied once per event id; an event not newer than the state we keep makes us fetch the subscription from Stripe instead of trusting its snapshot.',
  })
  @ApiHeader({ name: 'Stripe-Signature', required: true, description: 't=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">' })
  @ApiBody({ schema: { type: 'object', description: 'A Stripe event', properties: { id: { type: 'string' }, type: { type: 'string' }, created: { type: 'integer' }, data: { type: 'object' } }, required: ['id', 'type', 'data'] } })
  @ApiOkResponse({ type: StripeWebhookResponse })
  webhook(@Req() req: SwitchboardRequest, @Headers('stripe-signature') signature: string | undefined): Promise<StripeWebhookOutcome> {
    if (!req.rawBody) throw new ProblemException({ status: 415, type: 'unsupported-media-type', title: 'Unsupported Media Type', detail: 'Post the webhook as application/json.' });
    const requestId = req.id !== undefined ? String(req.id) : null;
    return this.commands.execute(new ApplyStripeEventCommand(req.rawBody, typeof signature === 'string' ? signature.slice(0, 2000) : undefined, requestId));
  }
}
