import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A suggestion whose structured answer was retried costs two metered calls; `usage_id` linked
 * only the last. `usage_ids` links every one, in order (existing rows get their one usage row).
 */
export class SuggestionUsageIds1765011600000 implements MigrationInterface {
  name = 'SuggestionUsageIds1765011600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ticket_ai_suggestions ADD COLUMN usage_ids uuid[] NOT NULL DEFAULT '{}'`);
    await q.query(`UPDATE ticket_ai_suggestions SET usage_ids = ARRAY[usage_id] WHERE usage_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ticket_ai_suggestions DROP COLUMN IF EXISTS usage_ids`);
  }
}
