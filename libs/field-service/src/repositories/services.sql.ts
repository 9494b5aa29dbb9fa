import type { Statement } from '@switchboard/platform';
import type { PricingType } from '../domain/pricing';
import { iso, num } from './execute';

export interface ServiceRow {
  id: string;
  name: string;
  description: string | null;
  pricing_type: PricingType;
  unit_price: string | null;
  unit_label: string | null;
  currency: string;
  tax_rate_bp: number;
  default_duration_minutes: number;
  active: boolean;
  deleted_at: Date | null;
  created_at: Date;
  updated_at: Date;
  version: number;
}

export interface ServiceFields {
  name: string;
  description: string | null;
  pricingType: PricingType;
  unitPrice: number | null;
  unitLabel: string | null;
  currency: string;
  taxRateBp: number;
  defaultDurationMinutes: number;
  active: boolean;
}

export interface ServiceView extends ServiceFields {
  id: string;
  deletedAt: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export const SERVICE_COLUMNS =
  'id, name, description, pricing_type, unit_price, unit_label, currency, tax_rate_bp, default_duration_minutes, active, deleted_at, created_at, updated_at, version';

export const toServiceView = (r: ServiceRow): ServiceView => ({
  id: r.id,
  name: r.name,
  description: r.description,
  pricingType: r.pricing_type,
  unitPrice: num(r.unit_price),
  unitLabel: r.unit_label,
  currency: r.currency,
  taxRateBp: r.tax_rate_bp,
  defaultDurationMinutes: r.default_duration_minutes,
  active: r.active,
  deletedAt: iso(r.deleted_at),
  createdAt: iso(r.created_at)!,
  updatedAt: iso(r.updated_at)!,
  version: r.version,
});

const fieldParams = (f: ServiceFields) => [f.name, f.description, f.pricingType, f.unitPrice, f.unitLabel, f.currency, f.taxRateBp, f.defaultDurationMinutes, f.active];

export const servicesSql = {
  /** Deleted services too (old line items still name them) unless `live`. */
  find: (tenantId: string, id: string, opts: { lock?: boolean; live?: boolean } = {}): Statement => ({
    sql: `SELECT ${SERVICE_COLUMNS} FROM fs_services WHERE tenant_id = $1 AND id = $2${opts.live ? ' AND deleted_at IS NULL' : ''}${opts.lock ? ' FOR UPDATE' : ''}`,
    params: [tenantId, id],
  }),

  insert: (tenantId: string, f: ServiceFields): Statement => ({
    sql: `INSERT INTO fs_services (tenant_id, name, description, pricing_type, unit_price, unit_label, currency, tax_rate_bp, default_duration_minutes, active)
          VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${SERVICE_COLUMNS}`,
    params: [tenantId, ...fieldParams(f)],
  }),

  update: (tenantId: string, id: string, f: ServiceFields): Statement => ({
    sql: `WITH changed AS (UPDATE fs_services SET name = $3, description = $4, pricing_type = $5, unit_price = $6, unit_label = $7, currency = $8, tax_rate_bp = $9,
                 default_duration_minutes = $10, active = $11, updated_at = now(), version = version + 1
           WHERE tenant_id = $1 AND id = $2 RETURNING ${SERVICE_COLUMNS}) SELECT * FROM changed`,
    params: [tenantId, id, ...fieldParams(f)],
  }),

  softDelete: (tenantId: string, id: string): Statement => ({
    sql: `UPDATE fs_services SET deleted_at = now(), active = false, updated_at = now(), version = version + 1 WHERE tenant_id = $1 AND id = $2 AND deleted_at IS NULL`,
    params: [tenantId, id],
  }),

  /** Oldest first, one more than `limit`; `after` is the last row's (created_at, id). */
  list: (tenantId: string, page: { limit: number; after?: [string, string]; active?: boolean }): Statement => {
    const params: unknown[] = [tenantId, page.limit + 1];
    let where = '';
    if (page.after) where += ` AND (created_at, id) > ($${params.push(page.after[0])}::timestamptz, $${params.push(page.after[1])}::uuid)`;
    if (page.active !== undefined) where += ` AND active = $${params.push(page.active)}`;
    return {
      sql: `SELECT ${SERVICE_COLUMNS} FROM fs_services WHERE tenant_id = $1 AND deleted_at IS NULL${where} ORDER BY created_at, id LIMIT $2`,
      params,
    };
  },
};
