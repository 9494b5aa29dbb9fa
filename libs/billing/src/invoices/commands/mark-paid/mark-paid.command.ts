import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import { PAYMENT_METHODS, type PaymentMethod } from '../../domain/invoice';
import { invalid } from '../../domain/money';
import type { InvoiceView } from '../../repositories/invoices.sql';

/**
 * An invoice paid: by hand (cash, a bank transfer seen on the statement), or by Stripe when the
 * webhook reports the payment link's checkout (`stripeEventId` set: applied once per event).
 */
export class MarkPaidCommand extends Command<InvoiceView> {
  constructor(
    readonly context: CommandContext,
    readonly invoiceId: string,
    readonly method: PaymentMethod,
    readonly reference: string | null,
    readonly stripeEventId: string | null = null,
  ) {
    super();
    if (!PAYMENT_METHODS.includes(method)) throw invalid([{ field: 'method', message: `must be one of ${PAYMENT_METHODS.join(', ')}` }]);
    if (reference !== null && (typeof reference !== 'string' || reference.length > 200)) throw invalid([{ field: 'reference', message: 'must be at most 200 characters' }]);
  }
}
