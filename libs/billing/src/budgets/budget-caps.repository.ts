import { Injectable } from '@nestjs/common';
import type { Statement, TenantTx } from '@switchboard/platform';
import type { EntityManager } from 'typeorm';
import type { BudgetCategory, StoredBudgetCaps } from './budget-caps';
import { budgetCapsSql, type BudgetCapsRow } from './budget-caps.sql';

function rowsOf<R>(result: unknown): R[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as R[];
  return result as R[];
}
const run = async <R>(manager: EntityManager, s: Statement): Promise<R[]> => rowsOf<R>(await manager.query(s.sql, s.params as unknown[] | undefined));
const num = (v: string | null) => (v === null ? null : Number(v));

export const toBudgetCaps = (row: BudgetCapsRow): StoredBudgetCaps => ({
  aiSpendCents: num(row.ai_spend_cents),
  apiRequests: num(row.api_requests),
  overrideAiSpendCents: num(row.override_ai_spend_cents),
  overrideApiRequests: num(row.override_api_requests),
  version: row.version,
  updatedAt: new Date(row.updated_at).toISOString(),
});

/** Budget caps, their overrides, period usage and the warnings given (SQL in `budget-caps.sql.ts`). */
@Injectable()
export class BudgetCapsRepository {
  async caps(tx: TenantTx, lock = false): Promise<StoredBudgetCaps | null> {
    const [row] = await run<BudgetCapsRow>(tx.manager, budgetCapsSql.caps(tx.tenantId, lock));
    return row ? toBudgetCaps(row) : null;
  }

  /** The row, created empty if missing and locked until commit. */
  async lock(tx: TenantTx): Promise<StoredBudgetCaps> {
    await run(tx.manager, budgetCapsSql.ensure(tx.tenantId));
    return (await this.caps(tx, true))!;
  }

  async saveTenantCaps(tx: TenantTx, aiSpendCents: number | null, apiRequests: number | null): Promise<StoredBudgetCaps> {
    const [row] = await run<BudgetCapsRow>(tx.manager, budgetCapsSql.saveTenantCaps(tx.tenantId, aiSpendCents, apiRequests));
    return toBudgetCaps(row!);
  }

  async saveOverrides(tx: TenantTx, aiSpendCents: number | null, apiRequests: number | null): Promise<StoredBudgetCaps> {
    const [row] = await run<BudgetCapsRow>(tx.manager, budgetCapsSql.saveOverrides(tx.tenantId, aiSpendCents, apiRequests));
    return toBudgetCaps(row!);
  }

  async cappedTenants(manager: EntityManager): Promise<string[]> {
    return (await run<{ tenant_id: string }>(manager, budgetCapsSql.cappedTenants())).map((r) => r.tenant_id);
  }

  async periodUsage(tx: TenantTx, from: string, to: string): Promise<{ aiSpendCents: number; aiCostMicros: number; apiRequests: number }> {
    const [row] = await run<{ ai_cost_micros: string; api_requests: string }>(tx.manager, budgetCapsSql.periodUsage(tx.tenantId, from, to));
    const aiCostMicros = Number(row?.ai_cost_micros ?? 0);
    return { aiCostMicros, aiSpendCents: Math.floor(aiCostMicros / 10_000), apiRequests: Number(row?.api_requests ?? 0) };
  }

  async claimWarning(tx: TenantTx, periodStart: string, category: BudgetCategory, used: number, cap: number): Promise<boolean> {
    return (await run(tx.manager, budgetCapsSql.claimWarning(tx.tenantId, periodStart, category, used, cap))).length === 1;
  }

  async warnings(tx: TenantTx, periodStart: string): Promise<Map<BudgetCategory, string>> {
    const rows = await run<{ category: BudgetCategory; created_at: Date }>(tx.manager, budgetCapsSql.warnings(tx.tenantId, periodStart));
    return new Map(rows.map((r) => [r.category, new Date(r.created_at).toISOString()]));
  }
}
