import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import { invalid } from '../../domain/money';
import type { InvoiceView } from '../../repositories/invoices.sql';

/** Voids a draft or an unpaid document; a numbered one keeps its number (no gap), marked void. */
export class VoidInvoiceCommand extends Command<InvoiceView> {
  constructor(
    readonly context: CommandContext,
    readonly invoiceId: string,
    readonly reason: string | null,
  ) {
    super();
    if (reason !== null && (typeof reason !== 'string' || reason.length > 500)) throw invalid([{ field: 'reason', message: 'must be at most 500 characters' }]);
  }
}
