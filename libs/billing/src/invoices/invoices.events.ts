import { defineEvent } from '@switchboard/platform';
import type { InvoiceKind, InvoiceStatus, PaymentMethod } from './domain/invoice';

/** What every invoice event carries; the aggregate is the invoice (or credit note). */
interface InvoiceFacts {
  kind: InvoiceKind;
  number: string | null;
  status: InvoiceStatus;
  contactId: string;
  jobId: string | null;
  currency: string;
  total: number;
}

export const InvoiceDrafted = defineEvent<InvoiceFacts & { source: 'job' | 'api' | 'credit' }>()('billing.invoice_drafted', { aggregate: 'billing_invoice' });
export const InvoiceFinalised = defineEvent<InvoiceFacts & { issuedAt: string; dueAt: string }>()('billing.invoice_finalised', { aggregate: 'billing_invoice' });
export const InvoiceSent = defineEvent<InvoiceFacts & { to: string; paymentUrl: string | null }>()('billing.invoice_sent', { aggregate: 'billing_invoice' });
export const InvoicePaid = defineEvent<InvoiceFacts & { method: PaymentMethod; reference: string | null; paidAt: string; stripeEventId: string | null }>()('billing.invoice_paid', {
  aggregate: 'billing_invoice',
});
export const InvoiceVoided = defineEvent<InvoiceFacts & { reason: string | null }>()('billing.invoice_voided', { aggregate: 'billing_invoice' });

export const INVOICE_EVENTS = [InvoiceDrafted, InvoiceFinalised, InvoiceSent, InvoicePaid, InvoiceVoided] as const;

export const factsOf = (i: { kind: InvoiceKind; number: string | null; status: InvoiceStatus; contactId: string; jobId: string | null; currency: string; total: number }): InvoiceFacts => ({
  kind: i.kind,
  number: i.number,
  status: i.status,
  contactId: i.contactId,
  jobId: i.jobId,
  currency: i.currency,
  total: i.total,
});
