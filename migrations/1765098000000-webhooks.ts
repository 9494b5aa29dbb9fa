import type { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantRls } from '../libs/platform/src/database/migration-helpers';

/**
 * Outbound webhooks (ADR 0043): a tenant's endpoints with their secrets sealed by the SecretBox
 * (the previous secret kept for 24 h after a rotation), and one delivery row per (endpoint, event)
 * — the unique key is what makes a re-dispatched event fold into the delivery it already has. A
 * delivery keeps the exact body it sends, so retries and redeliveries sign the same bytes.
 */
export class Webhooks1765098000000 implements MigrationInterface {
  name = 'Webhooks1765098000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE webhook_endpoints (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      url text NOT NULL CHECK (char_length(url) BETWEEN 1 AND 2048),
      description text CHECK (char_length(description) <= 500),
      event_types text[] NOT NULL CHECK (cardinality(event_types) BETWEEN 1 AND 100),
      active boolean NOT NULL DEFAULT true,
      disabled_reason text CHECK (char_length(disabled_reason) <= 500),
      secret_key_id text NOT NULL,
      secret bytea NOT NULL,
      secret_hint text NOT NULL,
      previous_secret_key_id text,
      previous_secret bytea,
      previous_secret_expires_at timestamptz,
      consecutive_failures int NOT NULL DEFAULT 0,
      failing_since timestamptz,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      version int NOT NULL DEFAULT 1,
      PRIMARY KEY (tenant_id, id)
    )`);
    await q.query(`CREATE INDEX webhook_endpoints_active ON webhook_endpoints (tenant_id) WHERE active`);
    await enableTenantRls(q, 'webhook_endpoints');

    await q.query(`CREATE TABLE webhook_deliveries (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      endpoint_id uuid NOT NULL,
      event_id uuid NOT NULL,
      event_type text NOT NULL,
      body text NOT NULL,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'succeeded', 'failed')),
      attempts int NOT NULL DEFAULT 0,
      response_status int,
      response_body text CHECK (char_length(response_body) <= 2048),
      duration_ms int,
      error text CHECK (char_length(error) <= 1000),
      window_started_at timestamptz NOT NULL DEFAULT now(),
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      last_attempt_at timestamptz,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id),
      UNIQUE (tenant_id, endpoint_id, event_id),
      FOREIGN KEY (tenant_id, endpoint_id) REFERENCES webhook_endpoints (tenant_id, id) ON DELETE CASCADE
    )`);
    await q.query(`CREATE INDEX webhook_deliveries_log ON webhook_deliveries (tenant_id, endpoint_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX webhook_deliveries_settled ON webhook_deliveries (updated_at) WHERE status IN ('succeeded', 'failed')`);
    await enableTenantRls(q, 'webhook_deliveries');

    await q.query(`INSERT INTO platform_secrets (name, value) VALUES ('webhooks_encryption_key', encode(gen_random_bytes(32), 'base64')) ON CONFLICT (name) DO NOTHING`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS webhook_deliveries`);
    await q.query(`DROP TABLE IF EXISTS webhook_endpoints`);
    await q.query(`DELETE FROM platform_secrets WHERE name = 'webhooks_encryption_key'`);
  }
}
