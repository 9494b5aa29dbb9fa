import type { Statement } from '@switchboard/platform';
import type { PricedLine } from '../domain/pricing';
import { iso, num } from './execute';

export interface LineItemRow {
  id: string;
  job_id: string;
  service_id: string | null;
  description: string;
  quantity_thousandths: string;
  unit_price: string;
  unit_label: string | null;
  tax_rate_bp: number;
  currency: string;
  subtotal: string;
  tax: string;
  total: string;
  created_by: string | null;
  created_at: Date;
}

export interface LineItemView {
  id: string;
  jobId: string;
  serviceId: string | null;
  description: string;
  quantity: number;
  unitPrice: number;
  unitLabel: string | null;
  taxRateBp: number;
  currency: string;
  subtotal: number;
  tax: number;
  total: number;
  createdBy: string | null;
  createdAt: string;
}

export const LINE_ITEM_COLUMNS = 'id, job_id, service_id, description, quantity_thousandths, unit_price, unit_label, tax_rate_bp, currency, subtotal, tax, total, created_by, created_at';

export const toLineItemView = (r: LineItemRow): LineItemView => ({
  id: r.id,
  jobId: r.job_id,
  serviceId: r.service_id,
  description: r.description,
  quantity: Number(r.quantity_thousandths) / 1000,
  unitPrice: num(r.unit_price)!,
  unitLabel: r.unit_label,
  taxRateBp: r.tax_rate_bp,
  currency: r.currency,
  subtotal: num(r.subtotal)!,
  tax: num(r.tax)!,
  total: num(r.total)!,
  createdBy: r.created_by,
  createdAt: iso(r.created_at)!,
});

export const lineItemsSql = {
  ofJob: (tenantId: string, jobId: string): Statement => ({
    sql: `SELECT ${LINE_ITEM_COLUMNS} FROM fs_line_items WHERE tenant_id = $1 AND job_id = $2 ORDER BY created_at, id`,
    params: [tenantId, jobId],
  }),

  count: (tenantId: string, jobId: string): Statement => ({
    sql: `SELECT count(*)::int AS n FROM fs_line_items WHERE tenant_id = $1 AND job_id = $2`,
    params: [tenantId, jobId],
  }),

  insert: (tenantId: string, jobId: string, line: PricedLine, createdBy: string | null): Statement => ({
    sql: `INSERT INTO fs_line_items (tenant_id, job_id, service_id, description, quantity_thousandths, unit_price, unit_label, tax_rate_bp, currency, subtotal, tax, total, created_by)
          VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING ${LINE_ITEM_COLUMNS}`,
    params: [tenantId, jobId, line.serviceId, line.description, line.quantityThousandths, line.unitPrice, line.unitLabel, line.taxRateBp, line.currency, line.subtotal, line.tax, line.total, createdBy],
  }),

  remove: (tenantId: string, jobId: string, id: string): Statement => ({
    sql: `WITH changed AS (DELETE FROM fs_line_items WHERE tenant_id = $1 AND job_id = $2 AND id = $3 RETURNING ${LINE_ITEM_COLUMNS}) SELECT * FROM changed`,
    params: [tenantId, jobId, id],
  }),
};
