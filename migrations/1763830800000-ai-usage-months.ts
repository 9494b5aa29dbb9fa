import type { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantRls } from '../libs/platform/src/database/migration-helpers';

/**
 * Month-to-date AI usage per tenant, kept in the same transaction as each `ai_usage` row, so a
 * budget check reads one row (or its copy in Redis) instead of summing the month's ledger.
 * Backfilled from the ledger; `calls` only grows, which lets copies elsewhere tell old from new.
 */
export class AiUsageMonths1763830800000 implements MigrationInterface {
  name = 'AiUsageMonths1763830800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE ai_usage_months (
      tenant_id uuid NOT NULL,
      month date NOT NULL CHECK (extract(day FROM month) = 1),
      calls bigint NOT NULL DEFAULT 0 CHECK (calls >= 0),
      tokens bigint NOT NULL DEFAULT 0 CHECK (tokens >= 0),
      cost_micros bigint NOT NULL DEFAULT 0 CHECK (cost_micros >= 0),
      PRIMARY KEY (tenant_id, month)
    )`);
    await enableTenantRls(q, 'ai_usage_months', ['SELECT', 'INSERT', 'UPDATE']);
    await q.query(`INSERT INTO ai_usage_months (tenant_id, month, calls, tokens, cost_micros)
      SELECT tenant_id, date_trunc('month', created_at AT TIME ZONE 'UTC')::date, count(*), SUM(prompt_tokens + completion_tokens), SUM(cost_micros)
        FROM ai_usage GROUP BY 1, 2`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS ai_usage_months`);
  }
}
