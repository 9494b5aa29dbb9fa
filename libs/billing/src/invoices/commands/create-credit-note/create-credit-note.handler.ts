import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { conflict } from '../../domain/invoice';
import { priceLines, totalsOf } from '../../domain/money';
import { factsOf, InvoiceDrafted } from '../../invoices.events';
import { InvoicesRepository } from '../../repositories/invoices.repository';
import type { InvoiceView } from '../../repositories/invoices.sql';
import { CreateCreditNoteCommand } from './create-credit-note.command';

/**
 * After an invoice is finalised it is never edited: corrections are credit notes. The draft takes
 * the invoice's customer and currency; its size is checked against what the invoice still asks
 * for when it is finalised (under the invoice's lock).
 */
@CommandHandler(CreateCreditNoteCommand)
export class CreateCreditNoteHandler implements ICommandHandler<CreateCreditNoteCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly invoices: InvoicesRepository,
  ) {}

  execute({ context, invoiceId, input, lines }: CreateCreditNoteCommand): Promise<InvoiceView> {
    return this.tx.run(context, async (tx) => {
      const invoice = await this.invoices.find(tx, invoiceId);
      if (!invoice) throw notFound('Invoice', invoiceId);
      if (invoice.kind !== 'invoice') throw conflict('invoice-status-conflict', `${invoiceId} is a credit note; credit the invoice it belongs to.`, { currentStatus: invoice.status });
      if (invoice.status !== 'open' && invoice.status !== 'sent' && invoice.status !== 'paid') {
        throw conflict('invoice-status-conflict', `Invoice ${invoiceId} is ${invoice.status}; only a finalised invoice (open, sent or paid) is credited. A draft is edited instead.`, { currentStatus: invoice.status });
      }
      const credit = lines ?? priceLines(invoice.lines.map((l) => ({ description: l.description, quantity: l.quantity, unitPrice: l.unitPrice, taxRateBp: l.taxRateBp, serviceId: l.serviceId })), -1);
      const id = await this.invoices.create(
        tx,
        { kind: 'credit_note', contactId: invoice.contactId, jobId: invoice.jobId, creditedInvoiceId: invoice.id, currency: invoice.currency, memo: input.reason.trim(), dueDays: 0, totals: totalsOf(credit), sourceEventId: null, createdBy: context.actorId },
        credit,
      );
      const note = (await this.invoices.find(tx, id!))!;
      await tx.audit({ action: 'billing.credit_note_drafted', entityType: 'billing_invoice', entityId: note.id, after: { creditedInvoiceId: invoice.id, total: note.total, reason: note.memo } });
      await tx.emit(InvoiceDrafted.of(note.id, { ...factsOf(note), source: 'credit' }));
      return note;
    });
  }
}
