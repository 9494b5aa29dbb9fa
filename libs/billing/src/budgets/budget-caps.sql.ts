import type { Statement } from '@switchboard/platform';
import type { BudgetCategory } from './budget-caps';

export interface BudgetCapsRow {
  tenant_id: string;
  ai_spend_cents: string | null;
  api_requests: string | null;
  override_ai_spend_cents: string | null;
  override_api_requests: string | null;
  version: number;
  updated_at: Date;
}

const COLUMNS = `tenant_id, ai_spend_cents, api_requests, override_ai_spend_cents, override_api_requests, version, updated_at`;

export const budgetCapsSql = {
  caps: (tenantId: string, lock: boolean): Statement => ({ sql: `SELECT ${COLUMNS} FROM billing_budget_caps WHERE tenant_id = $1${lock ? ' FOR UPDATE' : ''}`, params: [tenantId] }),
  /** Creates the tenant's (empty) row unless one exists, so a change can lock it; at version 0, the version a tenant without caps reads. */
  ensure: (tenantId: string): Statement => ({ sql: `INSERT INTO billing_budget_caps (tenant_id, version) VALUES ($1, 0) ON CONFLICT (tenant_id) DO NOTHING`, params: [tenantId] }),
  saveTenantCaps: (tenantId: string, aiSpendCents: number | null, apiRequests: number | null): Statement => ({
    sql: `UPDATE billing_budget_caps SET ai_spend_cents = $2, api_requests = $3, updated_at = now(), version = version + 1 WHERE tenant_id = $1 RETURNING ${COLUMNS}`,
    params: [tenantId, aiSpendCents, apiRequests],
  }),
  saveOverrides: (tenantId: string, aiSpendCents: number | null, apiRequests: number | null): Statement => ({
    sql: `UPDATE billing_budget_caps SET override_ai_spend_cents = $2, override_api_requests = $3, updated_at = now(), version = version + 1 WHERE tenant_id = $1 RETURNING ${COLUMNS}`,
    params: [tenantId, aiSpendCents, apiRequests],
  }),
  /** Tenants with caps or overrides (every tenant; run as the owner). */
  cappedTenants: (): Statement => ({
    sql: `SELECT tenant_id FROM billing_budget_caps
           WHERE ai_spend_cents IS NOT NULL OR api_requests IS NOT NULL OR override_ai_spend_cents IS NOT NULL OR override_api_requests IS NOT NULL ORDER BY tenant_id`,
  }),
  /** A period's AI spend (micro-dollars) and API requests. */
  periodUsage: (tenantId: string, from: string, to: string): Statement => ({
    sql: `SELECT COALESCE(sum(cost_micros) FILTER (WHERE category = 'ai_tokens'), 0) AS ai_cost_micros,
                 COALESCE(sum(quantity) FILTER (WHERE category = 'api_requests'), 0) AS api_requests
            FROM billing_usage_daily WHERE tenant_id = $1 AND day >= $2::date AND day < $3::date`,
    params: [tenantId, from, to],
  }),
  /** The period's warning of a category, once: no row back when it was given before. */
  claimWarning: (tenantId: string, periodStart: string, category: BudgetCategory, used: number, cap: number): Statement => ({
    sql: `INSERT INTO billing_budget_warnings (tenant_id, period_start, category, used, cap) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING category`,
    params: [tenantId, periodStart, category, used, cap],
  }),
  warnings: (tenantId: string, periodStart: string): Statement => ({
    sql: `SELECT category, created_at FROM billing_budget_warnings WHERE tenant_id = $1 AND period_start = $2`,
    params: [tenantId, periodStart],
  }),
};
