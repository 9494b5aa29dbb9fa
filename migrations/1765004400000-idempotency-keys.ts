import type { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantRls } from '../libs/platform/src/database/migration-helpers';

/**
 * Idempotency-Key records (ADR 0020): one row per (tenant, credential, key), inserted by the first
 * write transaction of the request in the same transaction as its effect, so the row exists
 * exactly when the effect does; the response is stored into it afterwards. Redis keeps only the
 * fast path. Expired rows are ignored by the claim and deleted by the nightly retention job.
 */
export class IdempotencyKeys1765004400000 implements MigrationInterface {
  name = 'IdempotencyKeys1765004400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE idempotency_keys (
      tenant_id uuid NOT NULL,
      scope text NOT NULL,
      key text NOT NULL,
      fingerprint text NOT NULL,
      status text NOT NULL DEFAULT 'in_progress' CHECK (status IN ('in_progress', 'completed')),
      response_status integer,
      response_headers jsonb,
      response_body text,
      created_at timestamptz NOT NULL DEFAULT now(),
      completed_at timestamptz,
      expires_at timestamptz NOT NULL,
      PRIMARY KEY (tenant_id, scope, key)
    )`);
    await q.query(`CREATE INDEX idempotency_keys_expires_at ON idempotency_keys (expires_at)`);
    await enableTenantRls(q, 'idempotency_keys');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS idempotency_keys`);
  }
}
