import { Inject } from '@nestjs/common';
import { EventConsumer, OnEventSelfAcknowledged, type EnvelopeOf, type SelfAcknowledgingEventHandler } from '@switchboard/platform';
import { TenantCreated } from '@switchboard/tenancy';
import { billingConfig, BillingQueue, SubscriptionChanged, type BillingConfig } from '../billing.context';
import { trialEnd } from '../domain/plans';
import { TenantBilling } from '../entitlements/tenant-billing.service';
import { BillingRepository } from '../repositories/billing.repository';

/**
 * A new tenant's subscription row from its first day: the default plan, trialing until
 * BILLING_TRIAL_DAYS after the tenant was created (the event's time, so a late or repeated
 * delivery does not lengthen it). Once per event (the receipt commits with the row), and never
 * over a row that a checkout, a webhook or an operator wrote first. Self-acknowledged so the
 * subscription cache is dropped after the commit, not inside the transaction (rule 16).
 */
@OnEventSelfAcknowledged(TenantCreated, { queue: BillingQueue, job: 'billing.start-trial' })
export class StartTrialJob implements SelfAcknowledgingEventHandler<typeof TenantCreated> {
  constructor(
    @Inject(billingConfig.token) private readonly config: BillingConfig,
    private readonly consumer: EventConsumer,
    private readonly repository: BillingRepository,
    private readonly billing: TenantBilling,
  ) {}

  async handle(event: EnvelopeOf<typeof TenantCreated>, consumer: string): Promise<void> {
    let started = false;
    await this.consumer.once(consumer, event, async (tx) => {
      const first = { planCode: this.config.BILLING_DEFAULT_PLAN, status: 'trialing' as const, trialEndsAt: trialEnd(new Date(event.occurredAt), this.config.BILLING_TRIAL_DAYS) };
      if (!(await this.repository.create(tx, first))) return;
      started = true;
      await tx.audit({ action: 'billing.trial_started', entityType: 'billing_subscription', entityId: event.tenantId, after: first });
      await tx.emit(SubscriptionChanged.of(event.tenantId, { plan: first.planCode, status: first.status, source: 'trial', stripeEventId: null }));
    });
    if (started) await this.billing.changed(event.tenantId);
  }
}
