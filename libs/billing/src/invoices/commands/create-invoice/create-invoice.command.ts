import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import { invalid, priceLines, totalsOf, type InvoiceTotals, type LineInput, type PricedLine } from '../../domain/money';
import type { InvoiceView } from '../../repositories/invoices.sql';

export interface CreateInvoiceInput {
  contactId: string;
  currency: string;
  lines: LineInput[];
  memo?: string | null;
  dueDays?: number;
}

const CURRENCY = /^[A-Z]{3}$/;

/** A draft invoice written by hand: lines priced (and refused with every bad field named) when the command is built. */
export class CreateInvoiceCommand extends Command<InvoiceView> {
  readonly lines: PricedLine[];
  readonly totals: InvoiceTotals;

  constructor(
    readonly context: CommandContext,
    readonly input: CreateInvoiceInput,
  ) {
    super();
    if (!CURRENCY.test(input.currency)) throw invalid([{ field: 'currency', message: 'must be an ISO 4217 code such as EUR' }]);
    this.lines = priceLines(input.lines);
    this.totals = totalsOf(this.lines);
  }
}
