import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The nightly refresh-token retention deletes rows past `expires_at` in batches; without an index
 * each batch scanned the whole table.
 */
export class RefreshTokensExpiryIndex1765008000000 implements MigrationInterface {
  name = 'RefreshTokensExpiryIndex1765008000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX IF NOT EXISTS refresh_tokens_expires_at ON refresh_tokens (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS refresh_tokens_expires_at`);
  }
}
