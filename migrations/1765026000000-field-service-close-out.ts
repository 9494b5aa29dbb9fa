import type { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantRls } from '../libs/platform/src/database/migration-helpers';

/**
 * The two-step close-out of a field-service job, the follow-ups it leaves, and the attributes of a
 * contact (customers' table: field service writes them only through the customers context).
 * One close-out per job: a draft awaiting the technician's confirmation, then finalized for good.
 */
export class FieldServiceCloseOut1765026000000 implements MigrationInterface {
  name = 'FieldServiceCloseOut1765026000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE fs_close_outs (
      tenant_id uuid NOT NULL,
      job_id uuid NOT NULL,
      status text NOT NULL DEFAULT 'awaiting_confirmation' CHECK (status IN ('awaiting_confirmation', 'finalized')),
      notes text NOT NULL CHECK (char_length(notes) BETWEEN 1 AND 10000),
      duration_minutes int NOT NULL CHECK (duration_minutes BETWEEN 1 AND 1440),
      suggestions jsonb NOT NULL DEFAULT '[]',
      extraction_status text NOT NULL CHECK (extraction_status IN ('ok', 'unavailable', 'invalid')),
      extraction_detail text,
      provider text,
      model text,
      initiated_by uuid,
      initiated_at timestamptz(3) NOT NULL DEFAULT now(),
      attributes jsonb,
      next_action jsonb,
      finalized_by uuid,
      finalized_at timestamptz(3),
      version int NOT NULL DEFAULT 1,
      PRIMARY KEY (tenant_id, job_id),
      FOREIGN KEY (tenant_id, job_id) REFERENCES fs_jobs (tenant_id, id) ON DELETE CASCADE,
      CHECK ((status = 'finalized') = (finalized_at IS NOT NULL))
    )`);
    await enableTenantRls(q, 'fs_close_outs', ['SELECT', 'INSERT', 'UPDATE']);

    await q.query(`CREATE TABLE fs_follow_ups (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      job_id uuid NOT NULL,
      contact_id uuid NOT NULL,
      kind text NOT NULL CHECK (kind IN ('reach_out')),
      due_on date NOT NULL,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'cancelled')),
      created_by uuid,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id),
      FOREIGN KEY (tenant_id, job_id) REFERENCES fs_jobs (tenant_id, id) ON DELETE CASCADE
    )`);
    await q.query(`CREATE INDEX fs_follow_ups_due ON fs_follow_ups (tenant_id, due_on) WHERE status = 'pending'`);
    await enableTenantRls(q, 'fs_follow_ups', ['SELECT', 'INSERT', 'UPDATE']);

    await q.query(`CREATE TABLE contact_attributes (
      tenant_id uuid NOT NULL,
      contact_id uuid NOT NULL,
      key text NOT NULL CHECK (key ~ '^[a-z][a-z_]{0,39}$'),
      value text NOT NULL CHECK (char_length(value) BETWEEN 1 AND 500),
      ai_value text CHECK (char_length(ai_value) <= 500),
      ai_confidence real CHECK (ai_confidence BETWEEN 0 AND 1),
      source text NOT NULL CHECK (source IN ('close_out', 'manual')),
      source_job_id uuid,
      confirmed_by uuid,
      confirmed_at timestamptz(3) NOT NULL DEFAULT now(),
      version int NOT NULL DEFAULT 1,
      PRIMARY KEY (tenant_id, contact_id, key),
      FOREIGN KEY (tenant_id, contact_id) REFERENCES contacts (tenant_id, id) ON DELETE CASCADE
    )`);
    // Contact search by attribute (GET /v1/contacts?attribute.pets=dog) compares lower-cased values.
    await q.query(`CREATE INDEX contact_attributes_value ON contact_attributes (tenant_id, key, lower(value))`);
    await enableTenantRls(q, 'contact_attributes');
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['contact_attributes', 'fs_follow_ups', 'fs_close_outs']) await q.query(`DROP TABLE IF EXISTS ${table}`);
  }
}
