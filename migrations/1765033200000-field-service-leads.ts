import type { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantRls } from '../libs/platform/src/database/migration-helpers';

/**
 * Field-service leads: the raw notes of a call or contact form, the fields typed in, the AI's
 * suggestions (never applied by themselves), and once converted the contact and job it became.
 * Contacts belong to customers and are only named here (as jobs name them), never referenced.
 */
export class FieldServiceLeads1765033200000 implements MigrationInterface {
  name = 'FieldServiceLeads1765033200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE fs_leads (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      status text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'converted', 'dismissed')),
      notes text NOT NULL CHECK (char_length(notes) BETWEEN 1 AND 10000),
      fields jsonb NOT NULL DEFAULT '{}',
      service_id uuid,
      suggestions jsonb,
      extraction_status text CHECK (extraction_status IN ('ok', 'unavailable', 'invalid')),
      extraction_detail text,
      provider text,
      model text,
      contact_id uuid,
      address_id uuid,
      job_id uuid,
      created_by uuid,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      updated_at timestamptz(3) NOT NULL DEFAULT now(),
      converted_by uuid,
      converted_at timestamptz(3),
      dismissed_reason text CHECK (char_length(dismissed_reason) <= 500),
      version int NOT NULL DEFAULT 1,
      PRIMARY KEY (tenant_id, id),
      FOREIGN KEY (tenant_id, job_id) REFERENCES fs_jobs (tenant_id, id),
      FOREIGN KEY (tenant_id, service_id) REFERENCES fs_services (tenant_id, id),
      CHECK ((status = 'converted') = (converted_at IS NOT NULL))
    )`);
    // The list: newest first, optionally by status.
    await q.query(`CREATE INDEX fs_leads_list ON fs_leads (tenant_id, status, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX fs_leads_recent ON fs_leads (tenant_id, created_at DESC, id DESC)`);
    await enableTenantRls(q, 'fs_leads', ['SELECT', 'INSERT', 'UPDATE']);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS fs_leads`);
  }
}
