import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * AI features are registered by the contexts that own them (ADR 0017), so the database no longer
 * lists the features that may have prompt templates: a new feature's templates must be storable
 * without a migration. The column keeps the shape of a feature name; which names exist is the
 * application's registry's business (an unregistered name is a 404 before any SQL).
 */
export class AiTemplateFeaturesRegistered1764910000000 implements MigrationInterface {
  name = 'AiTemplateFeaturesRegistered1764910000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ai_prompt_templates DROP CONSTRAINT IF EXISTS ai_prompt_templates_feature_check`);
    await q.query(`ALTER TABLE ai_prompt_templates ADD CONSTRAINT ai_prompt_templates_feature_name CHECK (feature ~ '^[a-z][a-z0-9_-]{0,39}$')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ai_prompt_templates DROP CONSTRAINT IF EXISTS ai_prompt_templates_feature_name`);
    await q.query(`ALTER TABLE ai_prompt_templates ADD CONSTRAINT ai_prompt_templates_feature_check CHECK (feature IN ('answer', 'draft', 'summary', 'triage', 'extraction'))`);
  }
}
