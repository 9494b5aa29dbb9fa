import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Plan-based feature flags (ADR 0049, addendum): a `plan` kind and the plan codes it names. */
export class FeatureFlagPlans1765141200000 implements MigrationInterface {
  name = 'FeatureFlagPlans1765141200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE feature_flags ADD COLUMN plans text[] NOT NULL DEFAULT '{}' CHECK (cardinality(plans) <= 50)`);
    await q.query(`ALTER TABLE feature_flags DROP CONSTRAINT feature_flags_kind_check`);
    await q.query(`ALTER TABLE feature_flags ADD CONSTRAINT feature_flags_kind_check CHECK (kind IN ('boolean', 'percentage', 'allow_list', 'plan'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM feature_flags WHERE kind = 'plan'`);
    await q.query(`ALTER TABLE feature_flags DROP CONSTRAINT feature_flags_kind_check`);
    await q.query(`ALTER TABLE feature_flags ADD CONSTRAINT feature_flags_kind_check CHECK (kind IN ('boolean', 'percentage', 'allow_list'))`);
    await q.query(`ALTER TABLE feature_flags DROP COLUMN plans`);
  }
}
