import type { Statement } from '@switchboard/platform';
import type { InvoiceKind, InvoiceStatus, PaymentMethod } from '../domain/invoice';
import type { InvoiceTotals, PricedLine } from '../domain/money';

export interface InvoiceRow {
  id: string;
  kind: InvoiceKind;
  status: InvoiceStatus;
  number: string | null;
  contact_id: string;
  job_id: string | null;
  credited_invoice_id: string | null;
  currency: string;
  subtotal: string;
  tax: string;
  total: string;
  memo: string | null;
  due_days: number;
  issued_at: Date | null;
  due_at: Date | null;
  sent_at: Date | null;
  sent_to: string | null;
  paid_at: Date | null;
  payment_method: PaymentMethod | null;
  payment_reference: string | null;
  voided_at: Date | null;
  void_reason: string | null;
  stripe_payment_link_id: string | null;
  payment_url: string | null;
  created_at: Date;
  updated_at: Date;
  version: number;
  credited: string | null;
}

export interface LineRow {
  invoice_id: string;
  position: number;
  description: string;
  quantity: string;
  unit_price: string;
  tax_rate_bp: number;
  service_id: string | null;
  subtotal: string;
  tax: string;
  total: string;
}

/** An invoice or credit note as the API, the PDF and the events see it. */
export interface InvoiceView {
  id: string;
  kind: InvoiceKind;
  status: InvoiceStatus;
  number: string | null;
  contactId: string;
  jobId: string | null;
  creditedInvoiceId: string | null;
  currency: string;
  subtotal: number;
  tax: number;
  total: number;
  /** Sum of the credit notes finalised against this invoice (negative or 0); 0 on a credit note. */
  credited: number;
  /** What the customer still owes: total plus credits, 0 once paid or void. */
  amountDue: number;
  memo: string | null;
  dueDays: number;
  issuedAt: string | null;
  dueAt: string | null;
  sentAt: string | null;
  sentTo: string | null;
  paidAt: string | null;
  paymentMethod: PaymentMethod | null;
  paymentReference: string | null;
  voidedAt: string | null;
  voidReason: string | null;
  paymentUrl: string | null;
  stripePaymentLinkId: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
  lines: PricedLine[];
}

const iso = (d: Date | null): string | null => (d === null ? null : new Date(d).toISOString());

/** numeric(13,6) arrives as "0.333333" or "2.000000": shown without trailing zeros. */
const quantity = (v: string): string => (v.includes('.') ? v.replace(/0+$/, '').replace(/\.$/, '') : v);

export const toLine = (r: LineRow): PricedLine => ({
  position: r.position,
  description: r.description,
  quantity: quantity(r.quantity),
  unitPrice: Number(r.unit_price),
  taxRateBp: r.tax_rate_bp,
  serviceId: r.service_id,
  subtotal: Number(r.subtotal),
  tax: Number(r.tax),
  total: Number(r.total),
});

export const toInvoiceView = (r: InvoiceRow, lines: PricedLine[]): InvoiceView => {
  const total = Number(r.total);
  const credited = Number(r.credited ?? 0);
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    number: r.number,
    contactId: r.contact_id,
    jobId: r.job_id,
    creditedInvoiceId: r.credited_invoice_id,
    currency: r.currency,
    subtotal: Number(r.subtotal),
    tax: Number(r.tax),
    total,
    credited,
    amountDue: r.kind === 'invoice' && (r.status === 'open' || r.status === 'sent') ? Math.max(0, total + credited) : 0,
    memo: r.memo,
    dueDays: r.due_days,
    issuedAt: iso(r.issued_at),
    dueAt: iso(r.due_at),
    sentAt: iso(r.sent_at),
    sentTo: r.sent_to,
    paidAt: iso(r.paid_at),
    paymentMethod: r.payment_method,
    paymentReference: r.payment_reference,
    voidedAt: iso(r.voided_at),
    voidReason: r.void_reason,
    paymentUrl: r.payment_url,
    stripePaymentLinkId: r.stripe_payment_link_id,
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
    version: r.version,
    lines,
  };
};

const COLUMNS = `i.id, i.kind, i.status, i.number, i.contact_id, i.job_id, i.credited_invoice_id, i.currency, i.subtotal, i.tax, i.total, i.memo, i.due_days,
  i.issued_at, i.due_at, i.sent_at, i.sent_to, i.paid_at, i.payment_method, i.payment_reference, i.voided_at, i.void_reason, i.stripe_payment_link_id, i.payment_url,
  i.created_at, i.updated_at, i.version`;
/** Credit notes finalised against an invoice (drafts and voided ones do not count). */
const CREDITED = `(SELECT sum(c.total) FROM billing_invoices c WHERE c.tenant_id = i.tenant_id AND c.credited_invoice_id = i.id AND c.status IN ('open', 'sent')) AS credited`;
const LINE_COLUMNS = 'invoice_id, position, description, quantity, unit_price, tax_rate_bp, service_id, subtotal, tax, total';

export interface NewInvoice {
  kind: InvoiceKind;
  contactId: string;
  jobId: string | null;
  creditedInvoiceId: string | null;
  currency: string;
  memo: string | null;
  dueDays: number;
  totals: InvoiceTotals;
  sourceEventId: string | null;
  createdBy: string | null;
}

export interface InvoiceFilter {
  status?: InvoiceStatus;
  kind?: InvoiceKind;
  contactId?: string;
  jobId?: string;
  after?: { createdAt: string; id: string };
}

export interface SettingsRow {
  stripe_account_id: string | null;
  address: string | null;
  tax_id: string | null;
  footer: string | null;
  logo: Buffer | null;
  logo_type: string | null;
  due_days: number;
  updated_at: Date | null;
  version: number;
}

export interface InvoiceSettings {
  stripeAccountId: string | null;
  address: string | null;
  taxId: string | null;
  footer: string | null;
  logo: { type: 'image/png' | 'image/jpeg'; data: Buffer } | null;
  dueDays: number;
  updatedAt: string | null;
  version: number;
}

export const DEFAULT_SETTINGS: InvoiceSettings = { stripeAccountId: null, address: null, taxId: null, footer: null, logo: null, dueDays: 14, updatedAt: null, version: 0 };

export const toSettings = (r: SettingsRow | undefined): InvoiceSettings =>
  r
    ? {
        stripeAccountId: r.stripe_account_id,
        address: r.address,
        taxId: r.tax_id,
        footer: r.footer,
        logo: r.logo && r.logo_type ? { type: r.logo_type as 'image/png' | 'image/jpeg', data: r.logo } : null,
        dueDays: r.due_days,
        updatedAt: iso(r.updated_at),
        version: r.version,
      }
    : DEFAULT_SETTINGS;

export const invoicesSql = {
  find: (tenantId: string, id: string, lock = false): Statement => ({
    sql: `SELECT ${COLUMNS}, ${CREDITED} FROM billing_invoices i WHERE i.tenant_id = $1 AND i.id = $2${lock ? ' FOR UPDATE OF i' : ''}`,
    params: [tenantId, id],
  }),

  lines: (tenantId: string, ids: readonly string[]): Statement => ({
    sql: `SELECT ${LINE_COLUMNS} FROM billing_invoice_lines WHERE tenant_id = $1 AND invoice_id = ANY($2::uuid[]) ORDER BY invoice_id, position`,
    params: [tenantId, ids],
  }),

  list: (tenantId: string, filter: InvoiceFilter, limit: number): Statement => {
    const params: unknown[] = [tenantId];
    let where = 'i.tenant_id = $1';
    if (filter.status) where += ` AND i.status = $${params.push(filter.status)}`;
    if (filter.kind) where += ` AND i.kind = $${params.push(filter.kind)}`;
    if (filter.contactId) where += ` AND i.contact_id = $${params.push(filter.contactId)}::uuid`;
    if (filter.jobId) where += ` AND i.job_id = $${params.push(filter.jobId)}::uuid`;
    if (filter.after) where += ` AND (i.created_at, i.id) < ($${params.push(filter.after.createdAt)}::timestamptz, $${params.push(filter.after.id)}::uuid)`;
    return { sql: `SELECT ${COLUMNS}, ${CREDITED} FROM billing_invoices i WHERE ${where} ORDER BY i.created_at DESC, i.id DESC LIMIT $${params.push(limit + 1)}`, params };
  },

  /** A job's invoice is created once: a second delivery (or a draft created by hand first) finds nothing inserted. */
  insert: (tenantId: string, n: NewInvoice): Statement => ({
    sql: `INSERT INTO billing_invoices (tenant_id, kind, contact_id, job_id, credited_invoice_id, currency, memo, due_days, subtotal, tax, total, source_event_id, created_by)
          VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
          ON CONFLICT (tenant_id, job_id) WHERE job_id IS NOT NULL AND kind = 'invoice' DO NOTHING RETURNING id`,
    params: [tenantId, n.kind, n.contactId, n.jobId, n.creditedInvoiceId, n.currency, n.memo, n.dueDays, n.totals.subtotal, n.totals.tax, n.totals.total, n.sourceEventId, n.createdBy],
  }),

  deleteLines: (tenantId: string, invoiceId: string): Statement => ({
    sql: `DELETE FROM billing_invoice_lines WHERE tenant_id = $1 AND invoice_id = $2`,
    params: [tenantId, invoiceId],
  }),

  insertLines: (tenantId: string, invoiceId: string, lines: readonly PricedLine[]): Statement => ({
    sql: `INSERT INTO billing_invoice_lines (tenant_id, invoice_id, position, description, quantity, unit_price, tax_rate_bp, service_id, subtotal, tax, total)
          SELECT $1, $2, l.position, l.description, l.quantity::numeric, l.unit_price, l.tax_rate_bp, l.service_id, l.subtotal, l.tax, l.total
          FROM jsonb_to_recordset($3::jsonb) AS l(position int, description text, quantity text, unit_price bigint, tax_rate_bp int, service_id uuid, subtotal bigint, tax bigint, total bigint)`,
    params: [
      tenantId,
      invoiceId,
      JSON.stringify(lines.map((l) => ({ position: l.position, description: l.description, quantity: l.quantity, unit_price: l.unitPrice, tax_rate_bp: l.taxRateBp, service_id: l.serviceId, subtotal: l.subtotal, tax: l.tax, total: l.total }))),
    ],
  }),

  updateDraft: (tenantId: string, id: string, change: { totals: InvoiceTotals; memo: string | null; dueDays: number }): Statement => ({
    sql: `UPDATE billing_invoices SET subtotal = $3, tax = $4, total = $5, memo = $6, due_days = $7, updated_at = now(), version = version + 1 WHERE tenant_id = $1 AND id = $2 AND status = 'draft' RETURNING id`,
    params: [tenantId, id, change.totals.subtotal, change.totals.tax, change.totals.total, change.memo, change.dueDays],
  }),

  /**
   * The next number of a series and year. The upsert takes the counter row's lock until the
   * finalising transaction ends: concurrent finalisations queue on it, and a rolled-back one
   * gives its number back with its increment, so numbers neither repeat nor skip.
   */
  nextSequence: (tenantId: string, series: string, year: number): Statement => ({
    sql: `INSERT INTO billing_invoice_counters AS c (tenant_id, series, year, last) VALUES ($1, $2, $3, 1)
          ON CONFLICT (tenant_id, series, year) DO UPDATE SET last = c.last + 1 RETURNING last`,
    params: [tenantId, series, year],
  }),

  finalise: (tenantId: string, id: string, number: string): Statement => ({
    sql: `UPDATE billing_invoices SET status = 'open', number = $3, issued_at = now(), due_at = now() + make_interval(days => due_days), updated_at = now(), version = version + 1
          WHERE tenant_id = $1 AND id = $2 AND status = 'draft' RETURNING id`,
    params: [tenantId, id, number],
  }),

  paymentLink: (tenantId: string, id: string, linkId: string, url: string): Statement => ({
    sql: `UPDATE billing_invoices SET stripe_payment_link_id = $3, payment_url = $4, updated_at = now() WHERE tenant_id = $1 AND id = $2 AND stripe_payment_link_id IS NULL RETURNING id`,
    params: [tenantId, id, linkId, url],
  }),

  sent: (tenantId: string, id: string, to: string): Statement => ({
    sql: `UPDATE billing_invoices SET status = 'sent', sent_at = now(), sent_to = $3, updated_at = now(), version = version + 1 WHERE tenant_id = $1 AND id = $2 AND status IN ('open', 'sent') RETURNING id`,
    params: [tenantId, id, to],
  }),

  paid: (tenantId: string, id: string, method: PaymentMethod, reference: string | null): Statement => ({
    sql: `UPDATE billing_invoices SET status = 'paid', paid_at = now(), payment_method = $3, payment_reference = $4, updated_at = now(), version = version + 1
          WHERE tenant_id = $1 AND id = $2 AND status IN ('open', 'sent') RETURNING id`,
    params: [tenantId, id, method, reference],
  }),

  void: (tenantId: string, id: string, reason: string | null): Statement => ({
    sql: `UPDATE billing_invoices SET status = 'void', voided_at = now(), void_reason = $3, updated_at = now(), version = version + 1
          WHERE tenant_id = $1 AND id = $2 AND status IN ('draft', 'open', 'sent') RETURNING id`,
    params: [tenantId, id, reason],
  }),

  settings: (tenantId: string): Statement => ({
    sql: `SELECT stripe_account_id, address, tax_id, footer, logo, logo_type, due_days, updated_at, version FROM billing_invoice_settings WHERE tenant_id = $1`,
    params: [tenantId],
  }),

  saveSettings: (tenantId: string, s: Omit<InvoiceSettings, 'updatedAt' | 'version'>): Statement => ({
    sql: `INSERT INTO billing_invoice_settings AS s (tenant_id, stripe_account_id, address, tax_id, footer, logo, logo_type, due_days) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
          ON CONFLICT (tenant_id) DO UPDATE SET stripe_account_id = EXCLUDED.stripe_account_id, address = EXCLUDED.address, tax_id = EXCLUDED.tax_id, footer = EXCLUDED.footer,
            logo = EXCLUDED.logo, logo_type = EXCLUDED.logo_type, due_days = EXCLUDED.due_days, updated_at = now(), version = s.version + 1`,
    params: [tenantId, s.stripeAccountId, s.address, s.taxId, s.footer, s.logo?.data ?? null, s.logo?.type ?? null, s.dueDays],
  }),
};
