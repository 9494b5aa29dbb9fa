import type { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantRls } from '../libs/platform/src/database/migration-helpers';

/**
 * The weekly report digest (ADR 0060): a tenant's switch (no row: on) and one receipt per tenant
 * and week, claimed before the mail goes out, so a week's digest is sent at most once however
 * often its job runs.
 */
export class ReportingWeeklyDigest1765162800000 implements MigrationInterface {
  name = 'ReportingWeeklyDigest1765162800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE reporting_digest_settings (
      tenant_id uuid NOT NULL PRIMARY KEY,
      weekly_enabled boolean NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await enableTenantRls(q, 'reporting_digest_settings', ['SELECT', 'INSERT', 'UPDATE', 'DELETE']);

    await q.query(`CREATE TABLE reporting_digests (
      tenant_id uuid NOT NULL,
      week_start date NOT NULL,
      claimed_at timestamptz NOT NULL DEFAULT now(),
      sent_at timestamptz,
      recipients int NOT NULL DEFAULT 0,
      PRIMARY KEY (tenant_id, week_start)
    )`);
    await enableTenantRls(q, 'reporting_digests', ['SELECT', 'INSERT', 'UPDATE', 'DELETE']);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS reporting_digests`);
    await q.query(`DROP TABLE IF EXISTS reporting_digest_settings`);
  }
}
