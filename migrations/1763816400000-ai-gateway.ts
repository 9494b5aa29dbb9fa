import type { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantRls } from '../libs/platform/src/database/migration-helpers';

/**
 * AI gateway: per-tenant settings (routing, allowed models, budget), provider credentials
 * encrypted at rest (AES-256-GCM; `key_id` names the key so keys can rotate), and one usage row
 * per provider call. The generated `ai_encryption_key` serves installs that configure none.
 */
export class AiGateway1763816400000 implements MigrationInterface {
  name = 'AiGateway1763816400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`INSERT INTO platform_secrets (name, value) VALUES ('ai_encryption_key', encode(gen_random_bytes(32), 'base64')) ON CONFLICT (name) DO NOTHING`);

    await q.query(`CREATE TABLE ai_settings (
      tenant_id uuid NOT NULL PRIMARY KEY,
      default_provider text NOT NULL DEFAULT 'local',
      default_model text,
      features jsonb NOT NULL DEFAULT '{}',
      fallback text[] NOT NULL DEFAULT '{}',
      allowed_models text[] NOT NULL DEFAULT '{}',
      budget jsonb NOT NULL DEFAULT '{}',
      updated_at timestamptz(3) NOT NULL DEFAULT now(),
      version int NOT NULL DEFAULT 1
    )`);
    await enableTenantRls(q, 'ai_settings', ['SELECT', 'INSERT', 'UPDATE']);

    await q.query(`CREATE TABLE ai_provider_credentials (
      tenant_id uuid NOT NULL,
      name text NOT NULL CHECK (name ~ '^[a-z0-9][a-z0-9_-]{0,39}$'),
      kind text NOT NULL CHECK (kind IN ('openai', 'anthropic', 'gemini')),
      base_url text,
      default_model text,
      key_id text,
      secret bytea,
      secret_hint text,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      updated_at timestamptz(3) NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, name)
    )`);
    await enableTenantRls(q, 'ai_provider_credentials');

    await q.query(`CREATE TABLE ai_usage (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      feature text NOT NULL,
      actor_type text NOT NULL,
      actor_id text,
      provider text NOT NULL,
      model text NOT NULL,
      prompt_tokens int NOT NULL DEFAULT 0 CHECK (prompt_tokens >= 0),
      completion_tokens int NOT NULL DEFAULT 0 CHECK (completion_tokens >= 0),
      cost_micros bigint NOT NULL DEFAULT 0 CHECK (cost_micros >= 0),
      latency_ms int NOT NULL DEFAULT 0,
      attempts int NOT NULL DEFAULT 1,
      outcome text NOT NULL CHECK (outcome IN ('success', 'error', 'aborted', 'invalid_output')),
      error text,
      request_id text,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id)
    )`);
    await q.query(`CREATE INDEX ai_usage_time ON ai_usage (tenant_id, created_at)`);
    // Usage is a ledger: the application appends and reads, never rewrites.
    await enableTenantRls(q, 'ai_usage', ['SELECT', 'INSERT']);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['ai_usage', 'ai_provider_credentials', 'ai_settings']) await q.query(`DROP TABLE IF EXISTS ${t}`);
    await q.query(`DELETE FROM platform_secrets WHERE name = 'ai_encryption_key'`);
  }
}
