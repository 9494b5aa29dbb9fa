import { priceLines, totalsOf, type InvoiceTotals, type PricedLine } from './money';

/** What billing reads of a completed job (field-service's JobDetail has these fields). */
export interface CompletedJob {
  id: string;
  contactId: string;
  title: string;
  currency: string | null;
  lineItems: readonly { description: string; quantity: number; unitPrice: number; taxRateBp: number; serviceId: string | null; unitLabel: string | null }[];
}

export interface JobDraft {
  contactId: string;
  currency: string;
  lines: PricedLine[];
  totals: InvoiceTotals;
  memo: string;
}

/**
 * The draft a completed job becomes: its line items, each priced again by billing's rules (the
 * catalog's tax rate came with the item), for the job's contact. A job without lines (or without a
 * currency) bills nothing: no draft.
 */
export function draftFromJob(job: CompletedJob): JobDraft | null {
  if (!job.currency || job.lineItems.length === 0) return null;
  const lines = priceLines(
    job.lineItems.map((item) => ({
      description: item.unitLabel && !item.description.includes(item.unitLabel) ? `${item.description} (per ${item.unitLabel})` : item.description,
      quantity: item.quantity,
      unitPrice: item.unitPrice,
      taxRateBp: item.taxRateBp,
      serviceId: item.serviceId,
    })),
  );
  return { contactId: job.contactId, currency: job.currency, lines, totals: totalsOf(lines), memo: `Job: ${job.title}`.slice(0, 2000) };
}
