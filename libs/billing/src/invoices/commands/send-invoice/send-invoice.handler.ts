import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { MAILER, notFound, ProblemException, TenantTransaction, type Mailer } from '@switchboard/platform';
import { assertTransition } from '../../domain/invoice';
import { formatMoney } from '../../domain/money';
import { factsOf, InvoiceSent } from '../../invoices.events';
import { InvoiceDocuments } from '../../pdf/invoice-documents';
import { InvoicesRepository } from '../../repositories/invoices.repository';
import type { InvoiceView } from '../../repositories/invoices.sql';
import { InvoicePaymentLinks } from '../../stripe/invoice-payment-links';
import { SendInvoiceCommand } from './send-invoice.command';

/**
 * Sending talks to Stripe and the mail server, so it is three short steps, none of them holding a
 * transaction across the network: read and check; create the payment link (once: an invoice keeps
 * its link, and Stripe's idempotency key folds a retried creation); render and mail; then record
 * the sending. A failure before the last step leaves the status as it was, so sending again is safe.
 */
@CommandHandler(SendInvoiceCommand)
export class SendInvoiceHandler implements ICommandHandler<SendInvoiceCommand> {
  private readonly logger = new Logger('Invoices');

  constructor(
    private readonly tx: TenantTransaction,
    private readonly invoices: InvoicesRepository,
    private readonly documents: InvoiceDocuments,
    private readonly links: InvoicePaymentLinks,
    @Inject(MAILER) private readonly mailer: Mailer,
  ) {}

  async execute({ context, invoiceId, to }: SendInvoiceCommand): Promise<InvoiceView> {
    const { tenantId } = context;
    const { invoice, settings, creditedNumber } = await this.tx.run(context, async (tx) => {
      const found = await this.invoices.find(tx, invoiceId);
      if (!found) throw notFound('Invoice', invoiceId);
      assertTransition(invoiceId, found.kind, found.status, 'sent');
      const credited = found.creditedInvoiceId ? await this.invoices.find(tx, found.creditedInvoiceId) : undefined;
      return { invoice: found, settings: await this.invoices.settings(tx), creditedNumber: credited?.number ?? null };
    });

    let current = invoice;
    if (invoice.kind === 'invoice' && invoice.amountDue > 0 && !invoice.paymentUrl && settings.stripeAccountId && this.links.configured) {
      const link = await this.links.create({ tenantId, invoiceId, number: invoice.number!, currency: invoice.currency, amount: invoice.amountDue, account: settings.stripeAccountId });
      current = await this.tx.run(context, async (tx) => {
        await this.invoices.setPaymentLink(tx, invoiceId, link.id, link.url);
        return (await this.invoices.find(tx, invoiceId))!;
      });
    }

    const { document, contact } = await this.documents.assemble(tenantId, current, creditedNumber, settings);
    const recipient = to ?? contact?.emails[0];
    if (!recipient) {
      throw new ProblemException({
        status: 422,
        type: 'no-recipient',
        title: 'Unprocessable Content',
        detail: `The customer of ${current.number} has no email address; add one to the contact or send with {"to": "…"}.`,
        errors: [{ field: 'to', message: 'is required: the contact has no email' }],
      });
    }
    const pdf = await this.documents.render(document);
    const label = current.kind === 'credit_note' ? 'Credit note' : 'Invoice';
    const amount = formatMoney(current.kind === 'invoice' ? current.amountDue : current.total, current.currency, document.locale);
    const text = [
      `Hello ${document.customer.name},`,
      '',
      current.kind === 'invoice' ? `please find attached invoice ${current.number} from ${document.seller.name} for ${amount}, due ${current.dueAt?.slice(0, 10)}.` : `please find attached credit note ${current.number} from ${document.seller.name} for ${amount}, crediting invoice ${creditedNumber}.`,
      ...(current.paymentUrl && current.amountDue > 0 ? ['', `Pay online: ${current.paymentUrl}`] : []),
      ...(current.memo ? ['', current.memo] : []),
      '',
      document.seller.name,
    ].join('\n');
    try {
      await this.mailer.send({
        to: recipient,
        subject: `${label} ${current.number} from ${document.seller.name}`,
        text,
        attachments: [{ filename: `${current.number}.pdf`, contentType: 'application/pdf', content: pdf.toString('base64'), encoding: 'base64' }],
      });
    } catch (error) {
      this.logger.warn({ tenantId, invoiceId, error: error instanceof Error ? error.message : String(error) }, 'Invoice not mailed');
      throw new ProblemException({ status: 502, type: 'mail-unavailable', title: 'Bad Gateway', detail: 'The email could not be handed to the mail server; the invoice is unchanged. Try again.' });
    }

    return this.tx.run(context, async (tx) => {
      const before = await this.invoices.find(tx, invoiceId, true);
      if (!before) throw notFound('Invoice', invoiceId);
      assertTransition(invoiceId, before.kind, before.status, 'sent');
      await this.invoices.markSent(tx, invoiceId, recipient);
      const after = (await this.invoices.find(tx, invoiceId))!;
      await tx.audit({ action: 'billing.invoice_sent', entityType: 'billing_invoice', entityId: invoiceId, before: { status: before.status }, after: { status: after.status, sentTo: recipient } });
      await tx.emit(InvoiceSent.of(invoiceId, { ...factsOf(after), to: recipient, paymentUrl: after.paymentUrl }));
      return after;
    });
  }
}
