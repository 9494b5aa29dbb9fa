import { Inject, Logger } from '@nestjs/common';
import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ProblemException, TenantTransaction, type CommandContext } from '@switchboard/platform';
import type Stripe from 'stripe';
import { billingConfig, SubscriptionChanged, type BillingConfig } from '../../billing.context';
import { lapsedSince } from '../../domain/lapse';
import { TenantBilling } from '../../entitlements/tenant-billing.service';
import { BillingRepository } from '../../repositories/billing.repository';
import { invoicePaymentSession, RecordStripePaymentCommand } from '../../invoices/commands/record-stripe-payment/record-stripe-payment.command';
import { StripeGateway } from '../../stripe/stripe-gateway';
import { ApplyStripeEventCommand, type StripeWebhookOutcome } from './apply-stripe-event.command';

const SUBSCRIPTION_EVENTS = new Set(['customer.subscription.created', 'customer.subscription.updated', 'customer.subscription.deleted', 'customer.subscription.paused', 'customer.subscription.resumed']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const skipped = (reason: string): StripeWebhookOutcome => ({ received: true, applied: false, reason });

const badSignature = () =>
  new ProblemException({
    status: 400,
    type: 'webhook-signature-invalid',
    title: 'Bad Request',
    detail: 'The Stripe-Signature header does not match this body under the endpoint secret, or its timestamp is outside the tolerance. Nothing was changed.',
  });

@CommandHandler(ApplyStripeEventCommand)
export class ApplyStripeEventHandler implements ICommandHandler<ApplyStripeEventCommand> {
  private readonly logger = new Logger('Billing');

  constructor(
    @Inject(billingConfig.token) private readonly config: BillingConfig,
    private readonly tx: TenantTransaction,
    private readonly repository: BillingRepository,
    private readonly billing: TenantBilling,
    private readonly stripe: StripeGateway,
    private readonly commands: CommandBus,
  ) {}

  async execute({ rawBody, signature, correlationId }: ApplyStripeEventCommand): Promise<StripeWebhookOutcome> {
    const secret = this.config.STRIPE_WEBHOOK_SECRET;
    if (!secret) throw new ProblemException({ status: 503, type: 'stripe-not-configured', title: 'Service Unavailable', detail: 'This server has no STRIPE_WEBHOOK_SECRET; it cannot verify Stripe webhooks.' });
    if (!signature) throw badSignature();
    let event: Stripe.Event | undefined;
    // The platform account's endpoint secret, then the Connect endpoint's (tenants' connected accounts).
    for (const candidate of [secret, this.config.STRIPE_CONNECT_WEBHOOK_SECRET]) {
      if (!candidate || event) continue;
      try {
        event = this.stripe.constructEvent(rawBody, signature, candidate);
      } catch {
        // Tried next, or refused below.
      }
    }
    if (!event) throw badSignature();

    // A customer invoice paid through its payment link (on a tenant's connected account).
    const invoicePayment = invoicePaymentSession(event);
    if (invoicePayment) return this.commands.execute(new RecordStripePaymentCommand(event, invoicePayment, correlationId));

    let subscription: Stripe.Subscription | null = null;
    let tenantId: string | undefined;
    if (event.type === 'checkout.session.completed') {
      const session = event.data.object;
      tenantId = session.client_reference_id ?? undefined;
      if (session.mode !== 'subscription' || !session.subscription) return skipped('not a subscription checkout');
      // The session carries only the subscription's id: its state is fetched (current, so never stale).
      subscription = typeof session.subscription === 'string' ? await this.stripe.subscription(session.subscription) : session.subscription;
    } else if (SUBSCRIPTION_EVENTS.has(event.type)) {
      subscription = event.data.object as Stripe.Subscription;
      tenantId = subscription.metadata?.tenant_id;
    } else {
      return skipped(`${event.type} is not used`);
    }
    if (!tenantId || !UUID.test(tenantId)) return skipped('no Switchboard tenant in the object');
    const context: CommandContext = { tenantId, actorId: 'stripe', actorType: 'system', correlationId };

    const stored = await this.tx.run(context, (tx) => this.repository.subscription(tx));
    let stateAt = event.created;
    if (stored && event.created <= stored.stripeStateAt && this.stripe.configured) {
      // Not newer than what we keep (Stripe times are whole seconds): Stripe's current object decides, not this event's snapshot.
      subscription = await this.stripe.subscription(subscription.id);
      stateAt = Math.max(stored.stripeStateAt, Math.floor(Date.now() / 1000));
    }
    const plan = this.stripe.planOf(subscription) ?? stored?.plan.code;
    if (!plan) return skipped('the subscription names no plan we sell');
    const fetched = subscription;

    const outcome = await this.tx.run(context, async (tx) => {
      if (!(await this.repository.claimStripeEvent(tx, event.id, event.type, event.created))) return skipped('duplicate event');
      // Locked, and created first for a tenant without a row, so two first deliveries take turns
      // (the second then compares its state's age with what the first saved).
      const { stored: locked, created } = await this.repository.lockOrCreate(tx, { planCode: this.config.BILLING_DEFAULT_PLAN, status: 'trialing', trialEndsAt: null });
      const before = created ? undefined : locked;
      if (before && stateAt < before.stripeStateAt) return skipped('older than the state we keep');
      const state = this.stripe.stateOf(fetched, plan, stateAt, lapsedSince(this.stripe.stateOf(fetched, plan, stateAt, null).status, before, new Date()));
      const after = await this.repository.save(tx, state);
      if (!before || before.plan.code !== after.plan.code || before.status !== after.status) {
        await tx.audit({
          action: 'billing.subscription_changed',
          entityType: 'billing_subscription',
          entityId: tenantId,
          before: before ? { plan: before.plan.code, status: before.status } : undefined,
          after: { plan: after.plan.code, status: after.status },
        });
        await tx.emit(SubscriptionChanged.of(tenantId, { plan: after.plan.code, status: after.status, source: 'stripe', stripeEventId: event.id }));
      }
      return { received: true, applied: true, reason: null } satisfies StripeWebhookOutcome;
    });
    if (outcome.applied) {
      await this.billing.changed(tenantId);
      this.logger.log({ tenantId, event: event.id, type: event.type }, 'Stripe subscription state applied');
    }
    return outcome;
  }
}
