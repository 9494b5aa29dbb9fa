import type { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantRls } from '../libs/platform/src/database/migration-helpers';

/**
 * Business calendars: a time zone, opening intervals per weekday and holidays, read whole by the
 * SLA engine (a calendar is small: at most 6 intervals a day and 1,000 holidays), so the week and
 * the holidays are JSON documents validated by the commands. Soft-deleted: groups and SLA history
 * keep naming them.
 */
export class BusinessCalendars1765090800000 implements MigrationInterface {
  name = 'BusinessCalendars1765090800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE business_calendars (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
      time_zone text NOT NULL CHECK (char_length(time_zone) BETWEEN 1 AND 64),
      week jsonb NOT NULL,
      holidays jsonb NOT NULL DEFAULT '[]'::jsonb,
      deleted_at timestamptz,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      version int NOT NULL DEFAULT 1,
      PRIMARY KEY (tenant_id, id)
    )`);
    await q.query(`CREATE UNIQUE INDEX business_calendars_name ON business_calendars (tenant_id, lower(name)) WHERE deleted_at IS NULL`);
    await enableTenantRls(q, 'business_calendars');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS business_calendars`);
  }
}
