import { Injectable } from '@nestjs/common';
import type { Statement, TenantTx } from '@switchboard/platform';
import type { EntityManager } from 'typeorm';
import type { Plan, SubscriptionStatus, SubscriptionView } from '../domain/plans';
import { billingSql, toPlan, toSubscriptionView, type NewSubscription, type PlanRow, type SubscriptionRow, type SubscriptionState, type UsageCategory, type UsageRow } from './billing.sql';

/** Unwraps what `manager.query` answers for an INSERT/UPDATE … RETURNING (rows and a count) and a SELECT (rows). */
function rowsOf<R>(result: unknown): R[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as R[];
  return result as R[];
}

const run = async <R>(manager: EntityManager, s: Statement): Promise<R[]> => rowsOf<R>(await manager.query(s.sql, s.params as unknown[] | undefined));

export type StoredSubscription = SubscriptionView & { stripeStateAt: number };

/** Plans, subscriptions, Stripe event receipts, credits and usage (SQL in `billing.sql.ts`). */
@Injectable()
export class BillingRepository {
  async plans(tx: TenantTx): Promise<Plan[]> {
    return (await run<PlanRow>(tx.manager, billingSql.plans())).map(toPlan);
  }

  async plan(tx: TenantTx, code: string): Promise<Plan | undefined> {
    const [row] = await run<PlanRow>(tx.manager, billingSql.plan(code));
    return row ? toPlan(row) : undefined;
  }

  async subscription(tx: TenantTx, lock = false): Promise<StoredSubscription | undefined> {
    const [row] = await run<SubscriptionRow>(tx.manager, billingSql.subscription(tx.tenantId, lock));
    return row ? toSubscriptionView(row) : undefined;
  }

  /** Creates the tenant's row unless one exists; true when this call created it. */
  async create(tx: TenantTx, first: NewSubscription): Promise<boolean> {
    return (await run(tx.manager, billingSql.createSubscription(tx.tenantId, first))).length === 1;
  }

  /**
   * The row, locked until commit; created first from `missing` (the implicit trial the tenant is
   * on) when the tenant has none. Two writers of a tenant without a row then serialise on the one
   * row instead of both building it from the implicit view. `created` says it was missing.
   */
  async lockOrCreate(tx: TenantTx, missing: NewSubscription): Promise<{ stored: StoredSubscription; created: boolean }> {
    const created = await this.create(tx, missing);
    return { stored: (await this.subscription(tx, true))!, created };
  }

  async save(tx: TenantTx, state: SubscriptionState): Promise<StoredSubscription> {
    await run(tx.manager, billingSql.save(tx.tenantId, state));
    return (await this.subscription(tx))!;
  }

  /** True the first time an event id is seen for the tenant. */
  async claimStripeEvent(tx: TenantTx, eventId: string, type: string, created: number): Promise<boolean> {
    return (await run(tx.manager, billingSql.claimStripeEvent(tx.tenantId, eventId, type, created))).length === 1;
  }

  async grantCredits(tx: TenantTx, amountCents: number, reason: string): Promise<{ balanceCents: number; grantId: string }> {
    const [row] = await run<{ credit_cents: string; grant_id: string }>(tx.manager, billingSql.grantCredits(tx.tenantId, amountCents, reason));
    return { balanceCents: Number(row!.credit_cents), grantId: row!.grant_id };
  }

  async addUsage(tx: TenantTx, day: string, category: UsageCategory, dimension: string, quantity: number, costMicros = 0): Promise<void> {
    await run(tx.manager, billingSql.addUsage(tx.tenantId, day, category, dimension, quantity, costMicros));
  }

  async usage(tx: TenantTx, from: string, to: string): Promise<UsageRow[]> {
    return run<UsageRow>(tx.manager, billingSql.usage(tx.tenantId, from, to));
  }

  async claimApiMinute(tx: TenantTx, minute: string): Promise<boolean> {
    return (await run(tx.manager, billingSql.claimApiMinute(tx.tenantId, minute))).length === 1;
  }

  /** Every tenant's subscription (operators; `manager` runs as the owner). */
  async allSubscriptions(manager: EntityManager, limit: number, after: { updatedAt: string; tenantId: string } | null, status: SubscriptionStatus | null): Promise<(StoredSubscription & { tenantId: string })[]> {
    return (await run<SubscriptionRow>(manager, billingSql.allSubscriptions(limit, after, status))).map((row) => ({ tenantId: row.tenant_id, ...toSubscriptionView(row) }));
  }
}
