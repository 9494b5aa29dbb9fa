import { Command } from '@nestjs/cqrs';
import type Stripe from 'stripe';
import type { StripeWebhookOutcome } from '../../../commands/apply-stripe-event/apply-stripe-event.command';

const INVOICE_PAYMENT_EVENTS = new Set(['checkout.session.completed', 'checkout.session.async_payment_succeeded']);

/** A verified Stripe event about a customer invoice's payment link (its session names the invoice), else null. */
export function invoicePaymentSession(event: Stripe.Event): Stripe.Checkout.Session | null {
  if (!INVOICE_PAYMENT_EVENTS.has(event.type)) return null;
  const session = event.data.object as Stripe.Checkout.Session;
  return session.metadata?.invoice_id ? session : null;
}

/** The payment of a customer invoice reported by Stripe (the signature was verified by the webhook). */
export class RecordStripePaymentCommand extends Command<StripeWebhookOutcome> {
  constructor(
    readonly event: Stripe.Event,
    readonly session: Stripe.Checkout.Session,
    readonly correlationId: string | null,
  ) {
    super();
  }
}
