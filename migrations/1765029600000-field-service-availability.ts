import type { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantRls } from '../libs/platform/src/database/migration-helpers';

/**
 * A technician's weekly working hours (wall-clock times in an IANA time zone, one row per
 * technician) and the spans they are unavailable (vacation, sick days, blocked slots). Bookings
 * outside the hours or inside an unavailability are refused by the booking handlers.
 */
export class FieldServiceAvailability1765029600000 implements MigrationInterface {
  name = 'FieldServiceAvailability1765029600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE fs_working_hours (
      tenant_id uuid NOT NULL,
      technician_id uuid NOT NULL,
      time_zone text NOT NULL CHECK (char_length(time_zone) BETWEEN 1 AND 64),
      weekly jsonb NOT NULL CHECK (jsonb_typeof(weekly) = 'object'),
      updated_by uuid,
      updated_at timestamptz(3) NOT NULL DEFAULT now(),
      version int NOT NULL DEFAULT 1,
      PRIMARY KEY (tenant_id, technician_id)
    )`);
    await enableTenantRls(q, 'fs_working_hours', ['SELECT', 'INSERT', 'UPDATE']);

    await q.query(`CREATE TABLE fs_unavailability (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      technician_id uuid NOT NULL,
      starts_at timestamptz(3) NOT NULL,
      ends_at timestamptz(3) NOT NULL,
      reason text NOT NULL CHECK (char_length(reason) BETWEEN 1 AND 200),
      created_by uuid,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id),
      CHECK (ends_at > starts_at)
    )`);
    await q.query(`CREATE INDEX fs_unavailability_technician ON fs_unavailability (tenant_id, technician_id, starts_at)`);
    await enableTenantRls(q, 'fs_unavailability', ['SELECT', 'INSERT', 'DELETE']);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['fs_unavailability', 'fs_working_hours']) await q.query(`DROP TABLE IF EXISTS ${table}`);
  }
}
