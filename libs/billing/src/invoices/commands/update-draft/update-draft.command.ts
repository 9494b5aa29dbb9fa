import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import { priceLines, totalsOf, type InvoiceTotals, type LineInput, type PricedLine } from '../../domain/money';
import type { InvoiceView } from '../../repositories/invoices.sql';

export interface UpdateDraftInput {
  lines: LineInput[];
  memo?: string | null;
  dueDays?: number;
  /** The version the client read; another write since: 409. */
  version: number;
}

/** Replaces a draft's lines (and memo, payment terms) as a whole, under optimistic concurrency. */
export class UpdateDraftCommand extends Command<InvoiceView> {
  readonly lines: PricedLine[];
  readonly totals: InvoiceTotals;

  constructor(
    readonly context: CommandContext,
    readonly invoiceId: string,
    readonly input: UpdateDraftInput,
  ) {
    super();
    this.lines = priceLines(input.lines);
    this.totals = totalsOf(this.lines);
  }
}
