import type { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantRls } from '../libs/platform/src/database/migration-helpers';

/**
 * Prompt templates: each tenant's history of template versions per feature, append-only (a
 * version is never rewritten; going back to the shipped default is a version of its own, with
 * no messages). Usage rows say which template version produced them, and the AI settings gain
 * the tenant's redaction switches.
 */
export class AiPromptTemplates1763827200000 implements MigrationInterface {
  name = 'AiPromptTemplates1763827200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE ai_prompt_templates (
      tenant_id uuid NOT NULL,
      feature text NOT NULL CHECK (feature IN ('answer', 'draft', 'summary', 'triage', 'extraction')),
      version int NOT NULL CHECK (version >= 2),
      source text NOT NULL CHECK (source IN ('tenant', 'default')),
      messages jsonb,
      created_by text,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, feature, version),
      CHECK ((source = 'tenant') = (messages IS NOT NULL))
    )`);
    // Versions are history: the application appends and reads, never rewrites.
    await enableTenantRls(q, 'ai_prompt_templates', ['SELECT', 'INSERT']);

    await q.query(`ALTER TABLE ai_usage ADD COLUMN template_version int, ADD COLUMN template_source text CHECK (template_source IN ('tenant', 'default'))`);
    await q.query(`ALTER TABLE ai_settings ADD COLUMN redaction jsonb NOT NULL DEFAULT '{}'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ai_settings DROP COLUMN IF EXISTS redaction`);
    await q.query(`ALTER TABLE ai_usage DROP COLUMN IF EXISTS template_version, DROP COLUMN IF EXISTS template_source`);
    await q.query(`DROP TABLE IF EXISTS ai_prompt_templates`);
  }
}
