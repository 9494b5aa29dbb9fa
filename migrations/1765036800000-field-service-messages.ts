import type { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantRls } from '../libs/platform/src/database/migration-helpers';

/**
 * Messages field service sends customers on its own: the confirmation when a visit is booked, the
 * notice when it moves or is called off, the reminder before it, the service reminder months after
 * a job. Each row is one message at one instant; the worker claims a due row (pending → sending)
 * before it sends, so two workers or a redelivered job send it once. Per-tenant settings say how
 * long before a visit its reminder goes out.
 */
export class FieldServiceMessages1765036800000 implements MigrationInterface {
  name = 'FieldServiceMessages1765036800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE fs_settings (
      tenant_id uuid NOT NULL PRIMARY KEY,
      visit_reminder_minutes int NOT NULL DEFAULT 1440 CHECK (visit_reminder_minutes BETWEEN 0 AND 20160),
      visit_confirmations boolean NOT NULL DEFAULT true,
      service_reminder_hour int NOT NULL DEFAULT 9 CHECK (service_reminder_hour BETWEEN 0 AND 23),
      updated_by uuid,
      updated_at timestamptz(3) NOT NULL DEFAULT now(),
      version int NOT NULL DEFAULT 1
    )`);
    await enableTenantRls(q, 'fs_settings', ['SELECT', 'INSERT', 'UPDATE']);

    await q.query(`CREATE TABLE fs_messages (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      job_id uuid NOT NULL,
      visit_id uuid,
      follow_up_id uuid,
      contact_id uuid NOT NULL,
      kind text NOT NULL CHECK (kind IN ('visit_confirmation', 'visit_rescheduled', 'visit_cancelled', 'visit_reminder', 'service_reminder')),
      channel text NOT NULL DEFAULT 'email' CHECK (channel IN ('email')),
      send_at timestamptz(3) NOT NULL,
      visit_start timestamptz(3),
      visit_end timestamptz(3),
      sequence int NOT NULL DEFAULT 0,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'cancelled', 'failed')),
      attempts int NOT NULL DEFAULT 0,
      recipient text CHECK (char_length(recipient) <= 320),
      locale text CHECK (char_length(locale) <= 35),
      subject text CHECK (char_length(subject) <= 300),
      error text CHECK (char_length(error) <= 500),
      source_event_id uuid,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      claimed_at timestamptz(3),
      sent_at timestamptz(3),
      cancelled_at timestamptz(3),
      updated_at timestamptz(3) NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id),
      FOREIGN KEY (tenant_id, job_id) REFERENCES fs_jobs (tenant_id, id) ON DELETE CASCADE,
      CHECK ((visit_id IS NULL) = (kind = 'service_reminder'))
    )`);
    // The worker's sweep across tenants: what is due or stuck, oldest first.
    await q.query(`CREATE INDEX fs_messages_due ON fs_messages (send_at) WHERE status IN ('pending', 'sending')`);
    await q.query(`CREATE INDEX fs_messages_job ON fs_messages (tenant_id, job_id, created_at)`);
    await q.query(`CREATE INDEX fs_messages_visit ON fs_messages (tenant_id, visit_id) WHERE status = 'pending'`);
    await enableTenantRls(q, 'fs_messages', ['SELECT', 'INSERT', 'UPDATE']);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['fs_messages', 'fs_settings']) await q.query(`DROP TABLE IF EXISTS ${table}`);
  }
}
