import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import { invalid } from '../../domain/money';
import type { InvoiceView } from '../../repositories/invoices.sql';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Emails a finalised document with its PDF and, for an invoice with something due, a payment link. */
export class SendInvoiceCommand extends Command<InvoiceView> {
  constructor(
    readonly context: CommandContext,
    readonly invoiceId: string,
    /** Another address than the contact's first email. */
    readonly to?: string,
  ) {
    super();
    if (to !== undefined && (typeof to !== 'string' || to.length > 320 || !EMAIL.test(to))) throw invalid([{ field: 'to', message: 'must be an email address' }]);
  }
}
