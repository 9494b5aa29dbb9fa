import type { Statement } from '@switchboard/platform';
import type { Entitlements, Plan, PlanCode, SubscriptionStatus, SubscriptionView } from '../domain/plans';

const PLAN_COLUMNS = `p.code, p.name, p.seats, p.ai_monthly_tokens, p.ai_monthly_cost_cents, p.api_requests_per_minute, p.storage_bytes, p.features`;
const SUBSCRIPTION_COLUMNS = `s.tenant_id, s.status, s.stripe_customer_id, s.stripe_subscription_id, s.trial_ends_at, s.current_period_start, s.current_period_end,
  s.lapsed_at, s.stripe_state_at, s.credit_cents, s.version, s.updated_at`;

export interface PlanRow {
  code: PlanCode;
  name: string;
  seats: number | null;
  ai_monthly_tokens: string | null;
  ai_monthly_cost_cents: string | null;
  api_requests_per_minute: number | null;
  storage_bytes: string | null;
  features: string[];
}

export interface SubscriptionRow extends PlanRow {
  tenant_id: string;
  status: SubscriptionStatus;
  stripe_customer_id: string | null;
  stripe_subscription_id: string | null;
  trial_ends_at: Date | null;
  current_period_start: Date | null;
  current_period_end: Date | null;
  lapsed_at: Date | null;
  stripe_state_at: string;
  credit_cents: string;
  version: number;
  updated_at: Date;
}

const num = (v: string | number | null) => (v === null ? null : Number(v));
const iso = (v: Date | null) => (v ? v.toISOString() : null);

export function toPlan(row: PlanRow): Plan {
  const entitlements: Entitlements = {
    seats: row.seats,
    aiMonthlyTokens: num(row.ai_monthly_tokens),
    aiMonthlyCostCents: num(row.ai_monthly_cost_cents),
    apiRequestsPerMinute: row.api_requests_per_minute,
    storageBytes: num(row.storage_bytes),
    features: row.features,
  };
  return { code: row.code, name: row.name, entitlements };
}

export function toSubscriptionView(row: SubscriptionRow): SubscriptionView & { stripeStateAt: number } {
  return {
    plan: toPlan(row),
    status: row.status,
    implicit: false,
    stripeCustomerId: row.stripe_customer_id,
    stripeSubscriptionId: row.stripe_subscription_id,
    trialEndsAt: iso(row.trial_ends_at),
    currentPeriodStart: iso(row.current_period_start),
    currentPeriodEnd: iso(row.current_period_end),
    lapsedAt: iso(row.lapsed_at),
    creditCents: Number(row.credit_cents),
    version: row.version,
    updatedAt: iso(row.updated_at),
    stripeStateAt: Number(row.stripe_state_at),
  };
}

/** What a change writes to a tenant's subscription row (the rest is kept). */
/** What a tenant's first subscription row holds (the rest starts empty). */
export type NewSubscription = Pick<SubscriptionState, 'planCode' | 'status' | 'trialEndsAt'>;

export interface SubscriptionState {
  planCode: PlanCode;
  status: SubscriptionStatus;
  stripeCustomerId: string | null;
  stripeSubscriptionId: string | null;
  trialEndsAt: string | null;
  currentPeriodStart: string | null;
  currentPeriodEnd: string | null;
  lapsedAt: string | null;
  /** Unix seconds of the Stripe state applied; never goes back. */
  stripeStateAt: number;
}

export type UsageCategory = 'api_requests' | 'ai_tokens';

export interface UsageRow {
  day: string;
  category: UsageCategory;
  dimension: string;
  quantity: string;
  cost_micros: string;
}

export const billingSql = {
  plans: (): Statement => ({ sql: `SELECT ${PLAN_COLUMNS} FROM billing_plans p ORDER BY p.position` }),
  plan: (code: string): Statement => ({ sql: `SELECT ${PLAN_COLUMNS} FROM billing_plans p WHERE p.code = $1`, params: [code] }),
  subscription: (tenantId: string, lock: boolean): Statement => ({
    sql: `SELECT ${SUBSCRIPTION_COLUMNS}, ${PLAN_COLUMNS} FROM billing_subscriptions s JOIN billing_plans p ON p.code = s.plan_code
           WHERE s.tenant_id = $1${lock ? ' FOR UPDATE OF s' : ''}`,
    params: [tenantId],
  }),
  /** Operators' list, every tenant (run as the owner): newest change first, keyset on (updated_at, tenant_id). */
  allSubscriptions: (limit: number, after: { updatedAt: string; tenantId: string } | null, status: SubscriptionStatus | null): Statement => ({
    sql: `SELECT ${SUBSCRIPTION_COLUMNS}, ${PLAN_COLUMNS} FROM billing_subscriptions s JOIN billing_plans p ON p.code = s.plan_code
           WHERE ($2::text IS NULL OR s.status = $2)
             AND ($3::timestamptz IS NULL OR (s.updated_at, s.tenant_id) < ($3::timestamptz, $4::uuid))
           ORDER BY s.updated_at DESC, s.tenant_id DESC LIMIT $1`,
    params: [limit, status, after?.updatedAt ?? null, after?.tenantId ?? null],
  }),
  /** A tenant's first row, unless it has one: never overwrites what Stripe, an operator or a checkout wrote. */
  createSubscription: (tenantId: string, s: NewSubscription): Statement => ({
    sql: `INSERT INTO billing_subscriptions (tenant_id, plan_code, status, trial_ends_at) VALUES ($1, $2, $3, $4)
          ON CONFLICT (tenant_id) DO NOTHING RETURNING tenant_id`,
    params: [tenantId, s.planCode, s.status, s.trialEndsAt],
  }),
  save: (tenantId: string, s: SubscriptionState): Statement => ({
    sql: `INSERT INTO billing_subscriptions AS b (tenant_id, plan_code, status, stripe_customer_id, stripe_subscription_id, trial_ends_at, current_period_start, current_period_end, lapsed_at, stripe_state_at)
          VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
          ON CONFLICT (tenant_id) DO UPDATE SET plan_code = excluded.plan_code, status = excluded.status,
            stripe_customer_id = excluded.stripe_customer_id, stripe_subscription_id = excluded.stripe_subscription_id,
            trial_ends_at = excluded.trial_ends_at, current_period_start = excluded.current_period_start,
            current_period_end = excluded.current_period_end, lapsed_at = excluded.lapsed_at,
            stripe_state_at = GREATEST(b.stripe_state_at, excluded.stripe_state_at), updated_at = now(), version = b.version + 1`,
    params: [tenantId, s.planCode, s.status, s.stripeCustomerId, s.stripeSubscriptionId, s.trialEndsAt, s.currentPeriodStart, s.currentPeriodEnd, s.lapsedAt, s.stripeStateAt],
  }),
  /** Inserts the event id; no row back when it was applied before. */
  claimStripeEvent: (tenantId: string, eventId: string, type: string, created: number): Statement => ({
    sql: `INSERT INTO billing_stripe_events (tenant_id, event_id, type, stripe_created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING event_id`,
    params: [tenantId, eventId, type, created],
  }),
  stripeEventSeen: (tenantId: string, eventId: string): Statement => ({
    sql: `SELECT 1 FROM billing_stripe_events WHERE tenant_id = $1 AND event_id = $2`,
    params: [tenantId, eventId],
  }),
  grantCredits: (tenantId: string, amountCents: number, reason: string): Statement => ({
    sql: `WITH g AS (INSERT INTO billing_credit_grants (tenant_id, amount_cents, reason) VALUES ($1, $2, $3) RETURNING id)
          UPDATE billing_subscriptions SET credit_cents = credit_cents + $2, updated_at = now(), version = version + 1
           WHERE tenant_id = $1 RETURNING credit_cents, (SELECT id FROM g) AS grant_id`,
    params: [tenantId, amountCents, reason],
  }),
  /** Adds to a day's usage of one category and dimension. */
  addUsage: (tenantId: string, day: string, category: UsageCategory, dimension: string, quantity: number, costMicros: number): Statement => ({
    sql: `INSERT INTO billing_usage_daily AS u (tenant_id, day, category, dimension, quantity, cost_micros) VALUES ($1, $2, $3, $4, $5, $6)
          ON CONFLICT (tenant_id, day, category, dimension) DO UPDATE SET quantity = u.quantity + excluded.quantity, cost_micros = u.cost_micros + excluded.cost_micros`,
    params: [tenantId, day, category, dimension.slice(0, 200) || 'unknown', quantity, costMicros],
  }),
  usage: (tenantId: string, from: string, to: string): Statement => ({
    sql: `SELECT to_char(day, 'YYYY-MM-DD') AS day, category, dimension, quantity, cost_micros FROM billing_usage_daily
           WHERE tenant_id = $1 AND day >= $2::date AND day < $3::date ORDER BY day, category, dimension`,
    params: [tenantId, from, to],
  }),
  /** Claims a (tenant, minute) of API counts; no row back when it was folded in before. */
  claimApiMinute: (tenantId: string, minute: string): Statement => ({
    sql: `INSERT INTO billing_api_usage_flushes (tenant_id, minute) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING minute`,
    params: [tenantId, minute],
  }),
};
