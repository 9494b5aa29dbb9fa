import type { InvoiceStatus, PaymentMethod } from '../domain/invoice';
import { priceLines, totalsOf, type LineInput, type PricedLine } from '../domain/money';
import type { InvoicesRepository } from '../repositories/invoices.repository';
import { DEFAULT_SETTINGS, type InvoiceSettings, type InvoiceView } from '../repositories/invoices.sql';

/** An in-memory stand-in for InvoicesRepository in handlers' unit specs: the same rules as the SQL's WHERE clauses. */
export function memoryInvoices(settings: Partial<InvoiceSettings> = {}) {
  const rows = new Map<string, InvoiceView>();
  const counters = new Map<string, number>();
  let seq = 0;
  const credited = (id: string) => [...rows.values()].filter((r) => r.creditedInvoiceId === id && (r.status === 'open' || r.status === 'sent')).reduce((s, r) => s + r.total, 0);
  const view = (r: InvoiceView): InvoiceView => {
    const c = r.kind === 'invoice' ? credited(r.id) : 0;
    return { ...r, credited: c, amountDue: r.kind === 'invoice' && (r.status === 'open' || r.status === 'sent') ? Math.max(0, r.total + c) : 0 };
  };
  const set = (id: string, from: InvoiceStatus[], change: Partial<InvoiceView>) => {
    const r = rows.get(id);
    if (!r || !from.includes(r.status)) return false;
    rows.set(id, { ...r, ...change, version: r.version + 1 });
    return true;
  };
  const blank = (id: string, kind: 'invoice' | 'credit_note', status: InvoiceStatus): InvoiceView => ({
    id, kind, status, number: null, contactId: 'c1', jobId: null, creditedInvoiceId: null, currency: 'EUR', subtotal: 0, tax: 0, total: 0, credited: 0, amountDue: 0,
    memo: null, dueDays: 14, issuedAt: null, dueAt: null, sentAt: null, sentTo: null, paidAt: null, paymentMethod: null, paymentReference: null, voidedAt: null, voidReason: null,
    paymentUrl: null, stripePaymentLinkId: null, createdAt: '2026-12-07T00:00:00.000Z', updatedAt: '2026-12-07T00:00:00.000Z', version: 1, lines: [],
  });
  const repository = {
    find: async (_tx: unknown, id: string) => (rows.get(id) ? view(rows.get(id)!) : undefined),
    settings: async () => ({ ...DEFAULT_SETTINGS, ...settings }),
    nextSequence: async (_tx: unknown, series: string, year: number) => {
      const key = `${series}:${year}`;
      counters.set(key, (counters.get(key) ?? 0) + 1);
      return counters.get(key)!;
    },
    finalise: async (_tx: unknown, id: string, number: string) => set(id, ['draft'], { status: 'open', number, issuedAt: new Date().toISOString(), dueAt: new Date().toISOString() }),
    create: async (_tx: unknown, n: { kind: 'invoice' | 'credit_note'; contactId: string; jobId: string | null; creditedInvoiceId: string | null; currency: string; memo: string | null; dueDays: number }, lines: PricedLine[]) => {
      seq += 1;
      const id = `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`;
      rows.set(id, { ...blank(id, n.kind, 'draft'), contactId: n.contactId, jobId: n.jobId, creditedInvoiceId: n.creditedInvoiceId, currency: n.currency, memo: n.memo, dueDays: n.dueDays, ...totalsOf(lines), lines });
      return id;
    },
    replaceDraft: async (_tx: unknown, id: string, lines: PricedLine[], change: { memo: string | null; dueDays: number }) => set(id, ['draft'], { lines, ...totalsOf(lines), memo: change.memo, dueDays: change.dueDays }),
    setPaymentLink: async (_tx: unknown, id: string, linkId: string, url: string) => {
      const r = rows.get(id);
      if (!r || r.stripePaymentLinkId) return false;
      rows.set(id, { ...r, stripePaymentLinkId: linkId, paymentUrl: url });
      return true;
    },
    markSent: async (_tx: unknown, id: string, to: string) => set(id, ['open', 'sent'], { status: 'sent', sentTo: to, sentAt: new Date().toISOString() }),
    markVoid: async (_tx: unknown, id: string, reason: string | null) => set(id, ['draft', 'open', 'sent'], { status: 'void', voidReason: reason, voidedAt: new Date().toISOString() }),
    markPaid: async (_tx: unknown, id: string, method: PaymentMethod, reference: string | null) => set(id, ['open', 'sent'], { status: 'paid', paymentMethod: method, paymentReference: reference, paidAt: new Date().toISOString() }),
  };
  return {
    repository: repository as unknown as InvoicesRepository,
    rows,
    counters,
    add(kind: 'invoice' | 'credit_note', status: InvoiceStatus, lines: LineInput[], extra: Partial<InvoiceView> = {}): InvoiceView {
      seq += 1;
      const priced = priceLines(lines, kind === 'credit_note' ? -1 : 1);
      const id = `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`;
      const row: InvoiceView = { ...blank(id, kind, status), number: status === 'draft' ? null : `X-${seq}`, ...totalsOf(priced), lines: priced, ...extra };
      rows.set(id, row);
      return view(row);
    },
  };
}
