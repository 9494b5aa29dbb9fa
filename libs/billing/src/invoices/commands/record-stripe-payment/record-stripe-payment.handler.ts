import { Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { TenantTransaction, type CommandContext } from '@switchboard/platform';
import type { StripeWebhookOutcome } from '../../../commands/apply-stripe-event/apply-stripe-event.command';
import { BillingRepository } from '../../../repositories/billing.repository';
import { factsOf, InvoicePaid } from '../../invoices.events';
import { InvoicesRepository } from '../../repositories/invoices.repository';
import { RecordStripePaymentCommand } from './record-stripe-payment.command';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const skipped = (reason: string): StripeWebhookOutcome => ({ received: true, applied: false, reason });

/**
 * Marks the invoice a payment link's checkout names as paid, once per Stripe event id (the claim
 * commits with the change). The event must come from the tenant's own connected account and pay
 * exactly what the invoice asks for in its currency; anything else is acknowledged, changes
 * nothing and is logged for a person to look at (Stripe would otherwise retry it for days).
 */
@CommandHandler(RecordStripePaymentCommand)
export class RecordStripePaymentHandler implements ICommandHandler<RecordStripePaymentCommand> {
  private readonly logger = new Logger('Invoices');

  constructor(
    private readonly tx: TenantTransaction,
    private readonly invoices: InvoicesRepository,
    private readonly billing: BillingRepository,
  ) {}

  async execute({ event, session, correlationId }: RecordStripePaymentCommand): Promise<StripeWebhookOutcome> {
    const tenantId = session.metadata?.tenant_id;
    const invoiceId = session.metadata?.invoice_id;
    if (!tenantId || !UUID.test(tenantId) || !invoiceId || !UUID.test(invoiceId)) return skipped('no Switchboard invoice in the object');
    if (session.payment_status !== 'paid') return skipped('the payment is not settled yet');
    const context: CommandContext = { tenantId, actorId: 'stripe', actorType: 'system', correlationId };
    const outcome = await this.tx.run(context, async (tx) => {
      if (!(await this.billing.claimStripeEvent(tx, event.id, event.type, event.created))) return skipped('duplicate event');
      const settings = await this.invoices.settings(tx);
      if (!settings.stripeAccountId || event.account !== settings.stripeAccountId) return skipped('not from the tenant’s connected account');
      const invoice = await this.invoices.find(tx, invoiceId, true);
      if (!invoice) return skipped('no such invoice');
      if (invoice.status === 'paid') return skipped('already paid');
      if (invoice.status !== 'open' && invoice.status !== 'sent') return skipped(`the invoice is ${invoice.status}`);
      if (session.amount_total !== invoice.amountDue || (session.currency ?? '').toUpperCase() !== invoice.currency) {
        return skipped(`paid ${session.amount_total} ${session.currency}, the invoice asks for ${invoice.amountDue} ${invoice.currency}`);
      }
      const reference = typeof session.payment_intent === 'string' ? session.payment_intent : (session.payment_intent?.id ?? session.id);
      await this.invoices.markPaid(tx, invoiceId, 'stripe', reference);
      const after = (await this.invoices.find(tx, invoiceId))!;
      await tx.audit({ action: 'billing.invoice_paid', entityType: 'billing_invoice', entityId: invoiceId, before: { status: invoice.status }, after: { status: 'paid', method: 'stripe', reference } });
      await tx.emit(InvoicePaid.of(invoiceId, { ...factsOf(after), method: 'stripe', reference, paidAt: after.paidAt!, stripeEventId: event.id }));
      return { received: true, applied: true, reason: null } satisfies StripeWebhookOutcome;
    });
    if (!outcome.applied && outcome.reason !== 'duplicate event') this.logger.warn({ tenantId, invoiceId, event: event.id, reason: outcome.reason }, 'Stripe invoice payment not applied');
    return outcome;
  }
}
