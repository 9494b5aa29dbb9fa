import type { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantRls } from '../libs/platform/src/database/migration-helpers';

/**
 * Billing's usage reported to Stripe billing meters (ADR 0062): every meter event we decided to
 * send (a delta of one usage slice, or a new high-water of stored bytes or seats, with the
 * deterministic identifier Stripe deduplicates on), the period's high-water marks,
 * the last reconciliation of our totals against Stripe's per tenant, period and category, the
 * tenants' budget caps with the operators' overrides, and the 80 % warnings already given.
 */
export class BillingMeterReporting1765170000000 implements MigrationInterface {
  name = 'BillingMeterReporting1765170000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE billing_meter_reports (
      tenant_id uuid NOT NULL,
      identifier text NOT NULL CHECK (char_length(identifier) BETWEEN 1 AND 100),
      category text NOT NULL CHECK (category IN ('api_requests', 'ai_tokens', 'storage_bytes', 'seats')),
      dimension text NOT NULL CHECK (char_length(dimension) <= 200),
      day date NOT NULL,
      seq int NOT NULL CHECK (seq > 0),
      quantity bigint NOT NULL CHECK (quantity > 0),
      event_name text NOT NULL,
      stripe_customer_id text NOT NULL,
      event_at timestamptz NOT NULL,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'rejected')),
      attempts int NOT NULL DEFAULT 0,
      last_error text CHECK (char_length(last_error) <= 500),
      created_at timestamptz NOT NULL DEFAULT now(),
      sent_at timestamptz,
      PRIMARY KEY (tenant_id, identifier),
      UNIQUE (tenant_id, category, dimension, day, seq)
    )`);
    await q.query(`CREATE INDEX billing_meter_reports_pending ON billing_meter_reports (created_at) WHERE status = 'pending'`);
    await enableTenantRls(q, 'billing_meter_reports', ['SELECT', 'INSERT', 'UPDATE']);

    // The period's high-water of stored bytes and seats, sampled by each reporting run.
    await q.query(`CREATE TABLE billing_meter_gauges (
      tenant_id uuid NOT NULL,
      period_start date NOT NULL,
      category text NOT NULL CHECK (category IN ('storage_bytes', 'seats')),
      high_water bigint NOT NULL CHECK (high_water >= 0),
      observed_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, period_start, category)
    )`);
    await enableTenantRls(q, 'billing_meter_gauges', ['SELECT', 'INSERT', 'UPDATE']);

    await q.query(`CREATE TABLE billing_meter_reconciliations (
      tenant_id uuid NOT NULL,
      period_start date NOT NULL,
      period_end date NOT NULL,
      category text NOT NULL CHECK (category IN ('api_requests', 'ai_tokens', 'storage_bytes', 'seats')),
      ours bigint NOT NULL,
      reported bigint NOT NULL,
      pending bigint NOT NULL,
      stripe bigint NOT NULL,
      checked_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, period_start, category)
    )`);
    await q.query(`CREATE INDEX billing_meter_reconciliations_checked ON billing_meter_reconciliations (checked_at DESC, tenant_id)`);
    await enableTenantRls(q, 'billing_meter_reconciliations', ['SELECT', 'INSERT', 'UPDATE']);

    await q.query(`CREATE TABLE billing_budget_caps (
      tenant_id uuid PRIMARY KEY,
      ai_spend_cents bigint CHECK (ai_spend_cents >= 0),
      api_requests bigint CHECK (api_requests >= 0),
      override_ai_spend_cents bigint CHECK (override_ai_spend_cents >= 0),
      override_api_requests bigint CHECK (override_api_requests >= 0),
      updated_at timestamptz(3) NOT NULL DEFAULT now(),
      version int NOT NULL DEFAULT 1
    )`);
    await enableTenantRls(q, 'billing_budget_caps', ['SELECT', 'INSERT', 'UPDATE']);

    await q.query(`CREATE TABLE billing_budget_warnings (
      tenant_id uuid NOT NULL,
      period_start date NOT NULL,
      category text NOT NULL CHECK (category IN ('ai_spend', 'api_requests')),
      used bigint NOT NULL,
      cap bigint NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, period_start, category)
    )`);
    await enableTenantRls(q, 'billing_budget_warnings', ['SELECT', 'INSERT']);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS billing_budget_warnings, billing_budget_caps, billing_meter_reconciliations, billing_meter_gauges, billing_meter_reports`);
  }
}
