import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Feature flag rules (ADR 0049): operators' settings for the flags contexts declare in code. A
 * platform table like `platform_secrets` — no tenant column and no row-level security: it holds no
 * tenant's data (tenant ids appear only as allow-list entries and overrides), is written by
 * platform operators only, and every process reads it whole with the platform's own connection.
 * The application role gets no privilege on it.
 */
export class FeatureFlags1765116000000 implements MigrationInterface {
  name = 'FeatureFlags1765116000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE feature_flags (
      name text PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9-]{0,39}\\.[a-z][a-z0-9-]{0,59}$'),
      kind text NOT NULL CHECK (kind IN ('boolean', 'percentage', 'allow_list')),
      enabled boolean NOT NULL,
      percentage numeric(5, 2) NOT NULL DEFAULT 0 CHECK (percentage BETWEEN 0 AND 100),
      rollout_by text NOT NULL DEFAULT 'tenant' CHECK (rollout_by IN ('tenant', 'user')),
      allow_tenants uuid[] NOT NULL DEFAULT '{}' CHECK (cardinality(allow_tenants) <= 1000),
      allow_users text[] NOT NULL DEFAULT '{}' CHECK (cardinality(allow_users) <= 1000),
      tenant_overrides jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(tenant_overrides) = 'object'),
      expires_at timestamptz,
      updated_by text,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      updated_at timestamptz(3) NOT NULL DEFAULT now(),
      version int NOT NULL DEFAULT 1
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS feature_flags`);
  }
}
