import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { InvoiceView } from '../../repositories/invoices.sql';

/** Gives a draft its number (the next of its series and year, without gaps) and freezes it. */
export class FinaliseInvoiceCommand extends Command<InvoiceView> {
  constructor(
    readonly context: CommandContext,
    readonly invoiceId: string,
  ) {
    super();
  }
}
