import { Inject, Injectable } from '@nestjs/common';
import { onFirstUse, ProblemException } from '@switchboard/platform';
import type Stripe from 'stripe';
import { billingConfig, type BillingConfig } from '../billing.context';
import { PLAN_CODES, statusFromStripe, type PlanCode } from '../domain/plans';
import type { SubscriptionState } from '../repositories/billing.sql';

const unavailable = (what: string, error: unknown) =>
  new ProblemException({
    status: 502,
    type: 'stripe-unavailable',
    title: 'Bad Gateway',
    detail: `Stripe did not answer ${what}: ${error instanceof Error ? error.message.slice(0, 300) : 'unknown error'}. Nothing was changed; try again.`,
  });

const notConfigured = () =>
  new ProblemException({ status: 503, type: 'stripe-not-configured', title: 'Service Unavailable', detail: 'Payments are not set up on this server (STRIPE_SECRET_KEY is unset).' });

/** The SDK is loaded with the first call to Stripe, not when the app boots. */
const stripeSdk = onFirstUse<typeof Stripe>('stripe');

const iso = (unixSeconds: number | null | undefined) => (unixSeconds ? new Date(unixSeconds * 1000).toISOString() : null);

/**
 * Switchboard's Stripe account through the official SDK (STRIPE_API_URL sets its host, port and
 * protocol, which is how tests reach a fake Stripe on loopback). Every call happens outside a
 * database transaction; failures become a 502 problem and nothing is written.
 */
@Injectable()
export class StripeGateway {
  private stripe: Stripe | undefined;
  private readonly planByPrice: Map<string, PlanCode>;

  constructor(@Inject(billingConfig.token) private readonly config: BillingConfig) {
    this.planByPrice = new Map(Object.entries(config.STRIPE_PRICES).map(([plan, price]) => [price, plan as PlanCode]));
  }

  get configured(): boolean {
    return Boolean(this.config.STRIPE_SECRET_KEY);
  }

  /** The SDK client for billing's other Stripe work (meter events); throws 503 when Stripe is not configured. */
  sdk(): Stripe {
    return this.client();
  }

  private client(): Stripe {
    if (!this.config.STRIPE_SECRET_KEY) throw notConfigured();
    if (!this.stripe) {
      const url = new URL(this.config.STRIPE_API_URL);
      const StripeClient = stripeSdk();
      this.stripe = new StripeClient(this.config.STRIPE_SECRET_KEY, {
        host: url.hostname,
        port: url.port || (url.protocol === 'https:' ? 443 : 80),
        protocol: url.protocol === 'https:' ? 'https' : 'http',
        maxNetworkRetries: 2,
        timeout: 10_000,
        telemetry: false,
      });
    }
    return this.stripe;
  }

  /** One customer per tenant: the idempotency key folds concurrent first checkouts into one. */
  async createCustomer(tenantId: string, name: string): Promise<string> {
    try {
      const customer = await this.client().customers.create({ name, metadata: { tenant_id: tenantId } }, { idempotencyKey: `switchboard-customer-${tenantId}` });
      return customer.id;
    } catch (error) {
      throw error instanceof ProblemException ? error : unavailable('creating the customer', error);
    }
  }

  async checkoutUrl(tenantId: string, customerId: string, plan: PlanCode): Promise<string> {
    const price = this.config.STRIPE_PRICES[plan];
    if (!price) {
      throw new ProblemException({ status: 422, type: 'plan-not-for-sale', title: 'Unprocessable Content', detail: `The ${plan} plan has no Stripe price (STRIPE_PRICES).`, errors: [{ field: 'plan', message: 'has no price' }] });
    }
    try {
      const session = await this.client().checkout.sessions.create({
        mode: 'subscription',
        customer: customerId,
        client_reference_id: tenantId,
        line_items: [{ price, quantity: 1 }],
        subscription_data: { metadata: { tenant_id: tenantId, plan } },
        success_url: `${this.config.BILLING_RETURN_URL}?checkout=success`,
        cancel_url: `${this.config.BILLING_RETURN_URL}?checkout=canceled`,
      });
      if (!session.url) throw new Error('the session has no URL');
      return session.url;
    } catch (error) {
      throw error instanceof ProblemException ? error : unavailable('creating the Checkout session', error);
    }
  }

  async portalUrl(customerId: string): Promise<string> {
    try {
      return (await this.client().billingPortal.sessions.create({ customer: customerId, return_url: this.config.BILLING_RETURN_URL })).url;
    } catch (error) {
      throw error instanceof ProblemException ? error : unavailable('creating the Customer Portal session', error);
    }
  }

  async subscription(id: string): Promise<Stripe.Subscription> {
    try {
      return await this.client().subscriptions.retrieve(id);
    } catch (error) {
      throw error instanceof ProblemException ? error : unavailable(`with subscription ${id}`, error);
    }
  }

  /** Verifies the signature over the raw body and its timestamp; throws on any mismatch. */
  constructEvent(rawBody: Buffer, signature: string, secret: string): Stripe.Event {
    return stripeSdk().webhooks.constructEvent(rawBody, signature, secret, this.config.STRIPE_WEBHOOK_TOLERANCE_S);
  }

  /** The plan a Stripe subscription is for: its price, else the plan we put in its metadata. */
  planOf(sub: Stripe.Subscription): PlanCode | null {
    for (const item of sub.items?.data ?? []) {
      const plan = this.planByPrice.get(item.price.id);
      if (plan) return plan;
    }
    const meta = sub.metadata?.plan;
    return (PLAN_CODES as readonly string[]).includes(meta ?? '') ? (meta as PlanCode) : null;
  }

  /** Our state of a Stripe subscription, as of `stateAt` (unix seconds). */
  stateOf(sub: Stripe.Subscription, plan: PlanCode, stateAt: number, lapsedSince: string | null): SubscriptionState {
    const status = statusFromStripe(sub.status);
    const item = sub.items?.data?.[0];
    return {
      planCode: plan,
      status,
      stripeCustomerId: typeof sub.customer === 'string' ? sub.customer : sub.customer.id,
      stripeSubscriptionId: sub.id,
      trialEndsAt: iso(sub.trial_end),
      currentPeriodStart: iso(item?.current_period_start),
      currentPeriodEnd: iso(item?.current_period_end),
      lapsedAt: lapsedSince,
      stripeStateAt: stateAt,
    };
  }
}
