import { Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { assertTransition } from '../../domain/invoice';
import { factsOf, InvoiceVoided } from '../../invoices.events';
import { InvoicesRepository } from '../../repositories/invoices.repository';
import type { InvoiceView } from '../../repositories/invoices.sql';
import { InvoicePaymentLinks } from '../../stripe/invoice-payment-links';
import { VoidInvoiceCommand } from './void-invoice.command';

@CommandHandler(VoidInvoiceCommand)
export class VoidInvoiceHandler implements ICommandHandler<VoidInvoiceCommand> {
  private readonly logger = new Logger('Invoices');

  constructor(
    private readonly tx: TenantTransaction,
    private readonly invoices: InvoicesRepository,
    private readonly links: InvoicePaymentLinks,
  ) {}

  async execute({ context, invoiceId, reason }: VoidInvoiceCommand): Promise<InvoiceView> {
    const { after, account } = await this.tx.run(context, async (tx) => {
      const before = await this.invoices.find(tx, invoiceId, true);
      if (!before) throw notFound('Invoice', invoiceId);
      assertTransition(invoiceId, before.kind, before.status, 'void');
      await this.invoices.markVoid(tx, invoiceId, reason);
      const voided = (await this.invoices.find(tx, invoiceId))!;
      await tx.audit({ action: 'billing.invoice_voided', entityType: 'billing_invoice', entityId: invoiceId, before: { status: before.status }, after: { status: 'void', reason } });
      await tx.emit(InvoiceVoided.of(invoiceId, { ...factsOf(voided), reason }));
      return { after: voided, account: (await this.invoices.settings(tx)).stripeAccountId };
    });
    // After commit: the link stops taking payments. A failure is logged; a payment that still
    // arrives on a void invoice is acknowledged and left for a person (the webhook logs it).
    if (after.stripePaymentLinkId && account && this.links.configured) {
      await this.links.deactivate(account, after.stripePaymentLinkId).catch((error: unknown) => {
        this.logger.warn({ tenantId: context.tenantId, invoiceId, error: error instanceof Error ? error.message : String(error) }, 'Payment link of a void invoice not deactivated');
      });
    }
    return after;
  }
}
