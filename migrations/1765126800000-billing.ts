import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_DB_ROLE } from '../libs/platform/src/database/data-source-options';
import { enableTenantRls } from '../libs/platform/src/database/migration-helpers';

/**
 * Billing (ADR 0052): the plan catalogue (shared, read-only to the application), one
 * subscription row per tenant that follows Stripe's webhooks, the Stripe events already applied
 * (idempotency), credit grants, and daily usage per tenant, category and dimension (the meter).
 */
export class Billing1765126800000 implements MigrationInterface {
  name = 'Billing1765126800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE billing_plans (
      code text PRIMARY KEY,
      name text NOT NULL,
      position int NOT NULL,
      seats int CHECK (seats > 0),
      ai_monthly_tokens bigint CHECK (ai_monthly_tokens >= 0),
      ai_monthly_cost_cents bigint CHECK (ai_monthly_cost_cents >= 0),
      api_requests_per_minute int CHECK (api_requests_per_minute > 0),
      storage_bytes bigint CHECK (storage_bytes >= 0),
      features text[] NOT NULL DEFAULT '{}'
    )`);
    await q.query(`INSERT INTO billing_plans (code, name, position, seats, ai_monthly_tokens, ai_monthly_cost_cents, api_requests_per_minute, storage_bytes, features) VALUES
      ('free', 'Free', 1, 3, 100000, 200, 60, 1073741824, '{}'),
      ('team', 'Team', 2, 25, 5000000, 10000, 600, 107374182400, '{ai_assists,channels}'),
      ('business', 'Business', 3, NULL, 50000000, 100000, 3000, 1099511627776, '{ai_assists,channels,field_service}')`);
    await q.query(`GRANT SELECT ON billing_plans TO ${APP_DB_ROLE}`);

    await q.query(`CREATE TABLE billing_subscriptions (
      tenant_id uuid PRIMARY KEY,
      plan_code text NOT NULL REFERENCES billing_plans (code),
      status text NOT NULL CHECK (status IN ('trialing', 'active', 'past_due', 'unpaid', 'canceled', 'incomplete')),
      stripe_customer_id text CHECK (char_length(stripe_customer_id) <= 255),
      stripe_subscription_id text CHECK (char_length(stripe_subscription_id) <= 255),
      trial_ends_at timestamptz,
      current_period_start timestamptz,
      current_period_end timestamptz,
      lapsed_at timestamptz,
      stripe_state_at bigint NOT NULL DEFAULT 0,
      credit_cents bigint NOT NULL DEFAULT 0 CHECK (credit_cents >= 0),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz(3) NOT NULL DEFAULT now(),
      version int NOT NULL DEFAULT 1
    )`);
    await enableTenantRls(q, 'billing_subscriptions', ['SELECT', 'INSERT', 'UPDATE']);

    await q.query(`CREATE TABLE billing_stripe_events (
      tenant_id uuid NOT NULL,
      event_id text NOT NULL CHECK (char_length(event_id) <= 255),
      type text NOT NULL,
      stripe_created_at bigint NOT NULL,
      received_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, event_id)
    )`);
    await enableTenantRls(q, 'billing_stripe_events', ['SELECT', 'INSERT']);

    await q.query(`CREATE TABLE billing_credit_grants (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      amount_cents bigint NOT NULL CHECK (amount_cents > 0),
      reason text NOT NULL CHECK (char_length(reason) BETWEEN 1 AND 500),
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id)
    )`);
    await enableTenantRls(q, 'billing_credit_grants', ['SELECT', 'INSERT']);

    await q.query(`CREATE TABLE billing_usage_daily (
      tenant_id uuid NOT NULL,
      day date NOT NULL,
      category text NOT NULL CHECK (category IN ('api_requests', 'ai_tokens')),
      dimension text NOT NULL CHECK (char_length(dimension) BETWEEN 1 AND 200),
      quantity bigint NOT NULL DEFAULT 0,
      cost_micros bigint NOT NULL DEFAULT 0,
      PRIMARY KEY (tenant_id, day, category, dimension)
    )`);
    await enableTenantRls(q, 'billing_usage_daily', ['SELECT', 'INSERT', 'UPDATE']);

    // API request counts flushed from Redis: one row per (tenant, minute) already folded in.
    await q.query(`CREATE TABLE billing_api_usage_flushes (
      tenant_id uuid NOT NULL,
      minute timestamptz NOT NULL,
      PRIMARY KEY (tenant_id, minute)
    )`);
    await q.query(`CREATE INDEX billing_api_usage_flushes_minute ON billing_api_usage_flushes (minute)`);
    await enableTenantRls(q, 'billing_api_usage_flushes', ['SELECT', 'INSERT', 'DELETE']);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS billing_api_usage_flushes, billing_usage_daily, billing_credit_grants, billing_stripe_events, billing_subscriptions, billing_plans`);
  }
}
