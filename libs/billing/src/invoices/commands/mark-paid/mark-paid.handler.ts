import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { assertTransition } from '../../domain/invoice';
import { factsOf, InvoicePaid } from '../../invoices.events';
import { InvoicesRepository } from '../../repositories/invoices.repository';
import type { InvoiceView } from '../../repositories/invoices.sql';
import { MarkPaidCommand } from './mark-paid.command';

@CommandHandler(MarkPaidCommand)
export class MarkPaidHandler implements ICommandHandler<MarkPaidCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly invoices: InvoicesRepository,
  ) {}

  execute({ context, invoiceId, method, reference, stripeEventId }: MarkPaidCommand): Promise<InvoiceView> {
    return this.tx.run(context, async (tx) => {
      const before = await this.invoices.find(tx, invoiceId, true);
      if (!before) throw notFound('Invoice', invoiceId);
      assertTransition(invoiceId, before.kind, before.status, 'paid');
      await this.invoices.markPaid(tx, invoiceId, method, reference);
      const after = (await this.invoices.find(tx, invoiceId))!;
      await tx.audit({ action: 'billing.invoice_paid', entityType: 'billing_invoice', entityId: invoiceId, before: { status: before.status }, after: { status: 'paid', method, reference } });
      await tx.emit(InvoicePaid.of(invoiceId, { ...factsOf(after), method, reference, paidAt: after.paidAt!, stripeEventId }));
      return after;
    });
  }
}
