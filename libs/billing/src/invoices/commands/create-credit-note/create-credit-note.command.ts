import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import { invalid, priceLines, type LineInput, type PricedLine } from '../../domain/money';
import type { InvoiceView } from '../../repositories/invoices.sql';

export interface CreateCreditNoteInput {
  /** What is credited, as positive lines (the credit note negates them); absent: every line of the invoice. */
  lines?: LineInput[];
  reason: string;
}

/** A draft credit note against a finalised invoice: a negative document that references it. */
export class CreateCreditNoteCommand extends Command<InvoiceView> {
  readonly lines: PricedLine[] | null;

  constructor(
    readonly context: CommandContext,
    readonly invoiceId: string,
    readonly input: CreateCreditNoteInput,
  ) {
    super();
    const reason = typeof input.reason === 'string' ? input.reason.trim() : '';
    if (reason.length < 1 || reason.length > 2000) throw invalid([{ field: 'reason', message: 'must be 1 to 2000 characters' }]);
    if (input.lines !== undefined && input.lines.length === 0) throw invalid([{ field: 'lines', message: 'must not be empty; leave it out to credit the whole invoice' }]);
    this.lines = input.lines ? priceLines(input.lines, -1) : null;
  }
}
