import { Injectable } from '@nestjs/common';
import { ProblemException } from '@switchboard/platform';
import { StripeGateway } from '../../stripe/stripe-gateway';

const unavailable = (what: string, error: unknown) =>
  new ProblemException({
    status: 502,
    type: 'stripe-unavailable',
    title: 'Bad Gateway',
    detail: `Stripe did not answer ${what}: ${error instanceof Error ? error.message.slice(0, 300) : 'unknown error'}. Nothing was changed; try again.`,
  });

export interface PaymentLinkRequest {
  tenantId: string;
  invoiceId: string;
  number: string;
  currency: string;
  /** Minor units, what the customer still owes. */
  amount: number;
  /** The tenant's connected account (`acct_…`). */
  account: string;
}

/**
 * Payment links for customer invoices, created on the tenant's Stripe connected account through
 * Switchboard's platform key (Stripe Connect, the `Stripe-Account` header): money goes to the
 * tenant, and no tenant secret is ever stored. A Payment Link, unlike a Checkout Session, does not
 * expire after a day, so the link in the email keeps working; it takes one payment, and both it
 * and its payment intent carry the tenant and invoice ids that the webhook reads back.
 */
@Injectable()
export class InvoicePaymentLinks {
  /** The platform's Stripe client (one per process, shared with subscriptions and meters). */
  constructor(private readonly gateway: StripeGateway) {}

  get configured(): boolean {
    return this.gateway.configured;
  }

  /** Idempotent per invoice and amount: a retried send gets the same link back from Stripe. */
  async create(r: PaymentLinkRequest): Promise<{ id: string; url: string }> {
    const metadata = { tenant_id: r.tenantId, invoice_id: r.invoiceId, invoice_number: r.number };
    const options = { stripeAccount: r.account };
    try {
      const price = await this.gateway.sdk().prices.create(
        { currency: r.currency.toLowerCase(), unit_amount: r.amount, product_data: { name: `Invoice ${r.number}`, metadata }, metadata },
        { ...options, idempotencyKey: `switchboard-invoice-price-${r.invoiceId}-${r.amount}` },
      );
      const link = await this.gateway.sdk().paymentLinks.create(
        {
          line_items: [{ price: price.id, quantity: 1 }],
          metadata,
          payment_intent_data: { metadata },
          restrictions: { completed_sessions: { limit: 1 } },
        },
        { ...options, idempotencyKey: `switchboard-invoice-link-${r.invoiceId}-${r.amount}` },
      );
      return { id: link.id, url: link.url };
    } catch (error) {
      throw error instanceof ProblemException ? error : unavailable('creating the payment link', error);
    }
  }

  /** A void or paid invoice's link stops taking payments. */
  async deactivate(account: string, linkId: string): Promise<void> {
    await this.gateway.sdk().paymentLinks.update(linkId, { active: false }, { stripeAccount: account });
  }
}
