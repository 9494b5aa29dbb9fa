import { ProblemException } from '@switchboard/platform';

export const INVOICE_KINDS = ['invoice', 'credit_note'] as const;
export type InvoiceKind = (typeof INVOICE_KINDS)[number];

/**
 * draft (editable, no number) → open (finalised: numbered, immutable) → sent → paid; open or sent
 * may be voided. A credit note follows the same path but is never paid: it reduces what its invoice
 * asks for.
 */
export const INVOICE_STATUSES = ['draft', 'open', 'sent', 'paid', 'void'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

export const PAYMENT_METHODS = ['bank_transfer', 'cash', 'check', 'card', 'stripe', 'other'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/** Number series per kind; each runs per tenant and calendar year (UTC) without gaps. */
export const SERIES: Record<InvoiceKind, string> = { invoice: 'INV', credit_note: 'CN' };

/** `INV-2026-000001`: series, year of finalisation, six-digit sequence (more digits past 999999). */
export function documentNumber(kind: InvoiceKind, year: number, sequence: number): string {
  if (!Number.isInteger(sequence) || sequence < 1) throw new Error(`A document sequence starts at 1, got ${sequence}`);
  return `${SERIES[kind]}-${year}-${String(sequence).padStart(6, '0')}`;
}

const TRANSITIONS: Record<InvoiceStatus, readonly InvoiceStatus[]> = {
  draft: ['open', 'void'],
  open: ['sent', 'paid', 'void'],
  sent: ['sent', 'paid', 'void'],
  paid: [],
  void: [],
};

export const conflict = (type: string, detail: string, extensions: Record<string, unknown> = {}) =>
  new ProblemException({ status: 409, type, title: 'Conflict', detail, extensions });

export function assertTransition(id: string, kind: InvoiceKind, from: InvoiceStatus, to: InvoiceStatus): void {
  if (kind === 'credit_note' && to === 'paid') throw conflict('invoice-status-conflict', `Credit note ${id} is not paid; it reduces what its invoice asks for.`, { currentStatus: from });
  if (!TRANSITIONS[from].includes(to)) {
    const hint =
      from === 'draft' && (to === 'sent' || to === 'paid')
        ? ' Finalise it first (POST /v1/invoices/{id}/finalise), which gives it its number.'
        : from === 'paid' || from === 'void' || from === 'sent' || from === 'open'
          ? ' A finalised document is never edited; issue a credit note instead.'
          : '';
    throw conflict('invoice-status-conflict', `${kind === 'invoice' ? 'Invoice' : 'Credit note'} ${id} is ${from}; it cannot become ${to}.${hint}`, { currentStatus: from });
  }
}

export function assertDraft(id: string, status: InvoiceStatus): void {
  if (status !== 'draft') {
    throw conflict('invoice-not-draft', `Invoice ${id} is ${status}: only a draft can be edited. A finalised document is never edited; issue a credit note instead.`, { currentStatus: status });
  }
}
