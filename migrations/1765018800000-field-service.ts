import type { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantRls } from '../libs/platform/src/database/migration-helpers';

/**
 * Field service: the service catalog, jobs at a contact's address, their visits, line items,
 * notes and history. Contacts, addresses, tickets and technicians live in other contexts and are
 * checked through their queries, not foreign keys. A technician's visits never overlap: an
 * exclusion constraint over (tenant, technician, time range) of the visits not cancelled decides
 * it, so two concurrent bookings cannot both commit.
 */
export class FieldService1765018800000 implements MigrationInterface {
  name = 'FieldService1765018800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS btree_gist`);
    await q.query(`CREATE TABLE fs_services (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
      description text CHECK (char_length(description) <= 2000),
      pricing_type text NOT NULL CHECK (pricing_type IN ('fixed', 'flexible', 'per_unit')),
      unit_price bigint CHECK (unit_price >= 0),
      unit_label text CHECK (char_length(unit_label) BETWEEN 1 AND 40),
      currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
      tax_rate_bp int NOT NULL DEFAULT 0 CHECK (tax_rate_bp BETWEEN 0 AND 10000),
      default_duration_minutes int NOT NULL DEFAULT 60 CHECK (default_duration_minutes BETWEEN 1 AND 720),
      active boolean NOT NULL DEFAULT true,
      deleted_at timestamptz,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      version int NOT NULL DEFAULT 1,
      PRIMARY KEY (tenant_id, id),
      CHECK ((pricing_type = 'flexible') = (unit_price IS NULL)),
      CHECK ((pricing_type = 'per_unit') = (unit_label IS NOT NULL))
    )`);
    await q.query(`CREATE INDEX fs_services_list ON fs_services (tenant_id, created_at, id) WHERE deleted_at IS NULL`);
    await enableTenantRls(q, 'fs_services');

    await q.query(`CREATE TABLE fs_jobs (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      contact_id uuid NOT NULL,
      address_id uuid NOT NULL,
      ticket_id uuid,
      title text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 300),
      description text CHECK (char_length(description) <= 10000),
      status text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'in_progress', 'completed', 'cancelled')),
      currency char(3) CHECK (currency ~ '^[A-Z]{3}$'),
      completed_at timestamptz,
      cancelled_at timestamptz,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      version int NOT NULL DEFAULT 1,
      PRIMARY KEY (tenant_id, id)
    )`);
    await q.query(`CREATE INDEX fs_jobs_list ON fs_jobs (tenant_id, created_at, id)`);
    await q.query(`CREATE INDEX fs_jobs_contact ON fs_jobs (tenant_id, contact_id)`);
    await enableTenantRls(q, 'fs_jobs');

    await q.query(`CREATE TABLE fs_visits (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      job_id uuid NOT NULL,
      technician_id uuid,
      status text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'in_progress', 'completed', 'cancelled')),
      scheduled_start timestamptz(3) NOT NULL,
      scheduled_end timestamptz(3) NOT NULL,
      arrival_window_start timestamptz(3),
      arrival_window_end timestamptz(3),
      clocked_in_at timestamptz(3),
      clocked_out_at timestamptz(3),
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      version int NOT NULL DEFAULT 1,
      PRIMARY KEY (tenant_id, id),
      FOREIGN KEY (tenant_id, job_id) REFERENCES fs_jobs (tenant_id, id) ON DELETE CASCADE,
      CHECK (scheduled_end - scheduled_start BETWEEN interval '1 minute' AND interval '12 hours'),
      CHECK ((arrival_window_start IS NULL) = (arrival_window_end IS NULL) AND arrival_window_end > arrival_window_start),
      CHECK (clocked_out_at IS NULL OR (clocked_in_at IS NOT NULL AND clocked_out_at >= clocked_in_at)),
      CONSTRAINT fs_visits_no_double_booking EXCLUDE USING gist (
        tenant_id WITH =, technician_id WITH =, tstzrange(scheduled_start, scheduled_end, '[)') WITH &&
      ) WHERE (technician_id IS NOT NULL AND status <> 'cancelled')
    )`);
    await q.query(`CREATE INDEX fs_visits_job ON fs_visits (tenant_id, job_id, scheduled_start)`);
    await q.query(`CREATE INDEX fs_visits_schedule ON fs_visits (tenant_id, scheduled_start)`);
    await enableTenantRls(q, 'fs_visits');

    await q.query(`CREATE TABLE fs_line_items (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      job_id uuid NOT NULL,
      service_id uuid,
      description text NOT NULL CHECK (char_length(description) BETWEEN 1 AND 500),
      quantity_thousandths bigint NOT NULL CHECK (quantity_thousandths > 0),
      unit_price bigint NOT NULL CHECK (unit_price >= 0),
      unit_label text,
      tax_rate_bp int NOT NULL CHECK (tax_rate_bp BETWEEN 0 AND 10000),
      currency char(3) NOT NULL,
      subtotal bigint NOT NULL CHECK (subtotal >= 0),
      tax bigint NOT NULL CHECK (tax >= 0),
      total bigint NOT NULL CHECK (total = subtotal + tax),
      created_by uuid,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id),
      FOREIGN KEY (tenant_id, job_id) REFERENCES fs_jobs (tenant_id, id) ON DELETE CASCADE,
      FOREIGN KEY (tenant_id, service_id) REFERENCES fs_services (tenant_id, id)
    )`);
    await q.query(`CREATE INDEX fs_line_items_job ON fs_line_items (tenant_id, job_id, created_at)`);
    await enableTenantRls(q, 'fs_line_items');

    await q.query(`CREATE TABLE fs_job_notes (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      job_id uuid NOT NULL,
      author_id uuid,
      body text NOT NULL CHECK (char_length(body) BETWEEN 1 AND 10000),
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id),
      FOREIGN KEY (tenant_id, job_id) REFERENCES fs_jobs (tenant_id, id) ON DELETE CASCADE
    )`);
    await q.query(`CREATE INDEX fs_job_notes_job ON fs_job_notes (tenant_id, job_id, created_at)`);
    await enableTenantRls(q, 'fs_job_notes', ['SELECT', 'INSERT']);

    await q.query(`CREATE TABLE fs_job_history (
      tenant_id uuid NOT NULL,
      id bigint GENERATED ALWAYS AS IDENTITY,
      job_id uuid NOT NULL,
      visit_id uuid,
      action text NOT NULL,
      changes jsonb NOT NULL,
      actor_id uuid,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id),
      FOREIGN KEY (tenant_id, job_id) REFERENCES fs_jobs (tenant_id, id) ON DELETE CASCADE
    )`);
    await q.query(`CREATE INDEX fs_job_history_job ON fs_job_history (tenant_id, job_id, id)`);
    await enableTenantRls(q, 'fs_job_history', ['SELECT', 'INSERT']);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['fs_job_history', 'fs_job_notes', 'fs_line_items', 'fs_visits', 'fs_jobs', 'fs_services']) await q.query(`DROP TABLE IF EXISTS ${table}`);
  }
}
