import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, ProblemException, TenantTransaction } from '@switchboard/platform';
import { assertTransition, conflict, documentNumber, SERIES } from '../../domain/invoice';
import { assertTotals } from '../../domain/money';
import { factsOf, InvoiceFinalised } from '../../invoices.events';
import { InvoicesRepository } from '../../repositories/invoices.repository';
import type { InvoiceView } from '../../repositories/invoices.sql';
import { FinaliseInvoiceCommand } from './finalise-invoice.command';

/**
 * Locks the draft, checks it (lines, totals that are the sum of its lines; a credit note no larger
 * than what its invoice still asks for), then takes the next number from the counter row, which
 * stays locked until this transaction ends: two finalisations never share or skip a number.
 */
@CommandHandler(FinaliseInvoiceCommand)
export class FinaliseInvoiceHandler implements ICommandHandler<FinaliseInvoiceCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly invoices: InvoicesRepository,
  ) {}

  execute({ context, invoiceId }: FinaliseInvoiceCommand): Promise<InvoiceView> {
    return this.tx.run(context, async (tx) => {
      const draft = await this.invoices.find(tx, invoiceId, true);
      if (!draft) throw notFound('Invoice', invoiceId);
      assertTransition(invoiceId, draft.kind, draft.status, 'open');
      if (draft.lines.length === 0) {
        throw new ProblemException({ status: 422, type: 'invoice-empty', title: 'Unprocessable Content', detail: `Invoice ${invoiceId} has no lines; add at least one before finalising.`, errors: [{ field: 'lines', message: 'is empty' }] });
      }
      assertTotals(draft.lines, draft);
      if (draft.kind === 'credit_note') {
        const credited = await this.invoices.find(tx, draft.creditedInvoiceId!, true);
        if (!credited || (credited.status !== 'sent' && credited.status !== 'open' && credited.status !== 'paid')) {
          throw conflict('invoice-status-conflict', `The credited invoice ${draft.creditedInvoiceId} is ${credited?.status ?? 'gone'}; a credit note needs a finalised invoice.`, { currentStatus: credited?.status ?? null });
        }
        if (credited.total + credited.credited + draft.total < 0) {
          throw new ProblemException({
            status: 422,
            type: 'credit-exceeds-invoice',
            title: 'Unprocessable Content',
            detail: `This credit note (${-draft.total}) is more than invoice ${credited.number} still asks for (${credited.total + credited.credited}).`,
            extensions: { remaining: credited.total + credited.credited },
          });
        }
      }
      const year = new Date().getUTCFullYear();
      const sequence = await this.invoices.nextSequence(tx, SERIES[draft.kind], year);
      const number = documentNumber(draft.kind, year, sequence);
      await this.invoices.finalise(tx, invoiceId, number);
      const invoice = (await this.invoices.find(tx, invoiceId))!;
      await tx.audit({ action: 'billing.invoice_finalised', entityType: 'billing_invoice', entityId: invoiceId, before: { status: 'draft' }, after: { status: 'open', number, total: invoice.total } });
      await tx.emit(InvoiceFinalised.of(invoiceId, { ...factsOf(invoice), issuedAt: invoice.issuedAt!, dueAt: invoice.dueAt! }));
      return invoice;
    });
  }
}
