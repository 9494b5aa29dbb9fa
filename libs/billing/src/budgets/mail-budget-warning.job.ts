import { Inject } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { MAILER, OnEvent, type DurableEventHandler, type EnvelopeOf, type Mailer, type TenantTx } from '@switchboard/platform';
import { GetOwnerEmailsQuery } from '@switchboard/tenancy';
import { BillingQueue, BudgetWarning } from '../billing.context';

const dollars = (cents: number) => `US$${(cents / 100).toFixed(2)}`;

/**
 * A budget warning mailed to the tenant's owners and admins. Sent inside the transaction of the
 * event's receipt, so a failed send is retried with the event (like the CSAT survey's mail).
 */
@OnEvent(BudgetWarning, { queue: BillingQueue, job: 'billing.mail-budget-warning' })
export class MailBudgetWarningJob implements DurableEventHandler<typeof BudgetWarning> {
  constructor(
    private readonly queries: QueryBus,
    @Inject(MAILER) private readonly mailer: Mailer,
  ) {}

  async handle(event: EnvelopeOf<typeof BudgetWarning>, tx: TenantTx): Promise<void> {
    const w = event.payload;
    const what = w.category === 'ai_spend' ? 'AI spend' : 'API requests';
    const recipients = await this.queries.execute(new GetOwnerEmailsQuery(tx.tenantId, ['owner', 'admin']));
    for (const to of new Set(recipients)) {
      await this.mailer.send({
        to,
        subject: `Budget warning: ${what} at ${Math.floor((w.used * 100) / w.cap)}% of the cap`,
        text:
          (w.unit === 'usd_cents'
            ? `Your workspace has spent ${dollars(w.used)} of its ${dollars(w.cap)} AI spend cap`
            : `Your workspace has made ${w.used} of the ${w.cap} API requests its budget cap allows`) +
          ` in the billing period ${w.periodStart} to ${w.periodEnd} (${w.plan} plan).\n\n` +
          `At the cap, ${w.category === 'ai_spend' ? 'AI features are refused' : 'API requests are refused'} until the period ends. ` +
          `Owners and admins can raise the cap with PUT /v1/billing/budget-caps, within the plan's limit.\n\n` +
          `This is the only warning for this period.`,
      });
    }
  }
}
