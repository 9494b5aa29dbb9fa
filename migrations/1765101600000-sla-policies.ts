import type { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantRls } from '../libs/platform/src/database/migration-helpers';

/**
 * SLA policies: ordered (the first active policy whose conditions a ticket meets applies), with
 * conditions and per-priority targets as validated JSON documents, business or calendar time, and
 * the statuses that pause the clock. Soft-deleted: a ticket's SLA history keeps naming its policy.
 */
export class SlaPolicies1765101600000 implements MigrationInterface {
  name = 'SlaPolicies1765101600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE sla_policies (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
      description text CHECK (char_length(description) <= 1000),
      position int NOT NULL DEFAULT 0,
      active boolean NOT NULL DEFAULT true,
      conditions jsonb NOT NULL DEFAULT '{}'::jsonb,
      targets jsonb NOT NULL,
      business_hours boolean NOT NULL DEFAULT true,
      calendar_id uuid,
      pause_statuses text[] NOT NULL DEFAULT ARRAY['pending', 'on_hold'],
      deleted_at timestamptz,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      version int NOT NULL DEFAULT 1,
      PRIMARY KEY (tenant_id, id)
    )`);
    await q.query(`CREATE UNIQUE INDEX sla_policies_name ON sla_policies (tenant_id, lower(name)) WHERE deleted_at IS NULL`);
    await enableTenantRls(q, 'sla_policies');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS sla_policies`);
  }
}
