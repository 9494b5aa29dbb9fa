import type { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantRls } from '../libs/platform/src/database/migration-helpers';

/**
 * Customers: organizations, contacts and the identities that find a contact (email, phone, chat
 * ids). An identity belongs to one live contact per tenant, which is what makes find-or-create
 * safe under concurrency. No foreign key to tenants: contexts do not reach into each other's
 * tables; the tenant purge removes these rows by tenant_id.
 */
export class Customers1763787600000 implements MigrationInterface {
  name = 'Customers1763787600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);

    await q.query(`CREATE TABLE organizations (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
      domains text[] NOT NULL DEFAULT '{}',
      notes text CHECK (char_length(notes) <= 10000),
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      deleted_at timestamptz,
      version int NOT NULL DEFAULT 1,
      PRIMARY KEY (tenant_id, id)
    )`);
    await q.query(`CREATE INDEX organizations_recent ON organizations (tenant_id, created_at DESC, id DESC) WHERE deleted_at IS NULL`);
    await q.query(`CREATE INDEX organizations_name_trgm ON organizations USING gin (name gin_trgm_ops)`);
    await enableTenantRls(q, 'organizations');

    await q.query(`CREATE TABLE contacts (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
      organization_id uuid,
      locale text,
      timezone text,
      notes text CHECK (char_length(notes) <= 10000),
      deleted_identities jsonb,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      deleted_at timestamptz,
      version int NOT NULL DEFAULT 1,
      PRIMARY KEY (tenant_id, id),
      FOREIGN KEY (tenant_id, organization_id) REFERENCES organizations (tenant_id, id)
    )`);
    await q.query(`CREATE INDEX contacts_recent ON contacts (tenant_id, created_at DESC, id DESC) WHERE deleted_at IS NULL`);
    await q.query(`CREATE INDEX contacts_organization ON contacts (tenant_id, organization_id) WHERE deleted_at IS NULL`);
    await q.query(`CREATE INDEX contacts_name_trgm ON contacts USING gin (name gin_trgm_ops)`);
    await enableTenantRls(q, 'contacts');

    await q.query(`CREATE TABLE contact_identities (
      tenant_id uuid NOT NULL,
      kind text NOT NULL CHECK (kind IN ('email', 'phone', 'telegram', 'whatsapp', 'external')),
      value text NOT NULL CHECK (char_length(value) BETWEEN 1 AND 320),
      contact_id uuid NOT NULL,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, kind, value),
      FOREIGN KEY (tenant_id, contact_id) REFERENCES contacts (tenant_id, id) ON DELETE CASCADE
    )`);
    await q.query(`CREATE INDEX contact_identities_contact ON contact_identities (tenant_id, contact_id)`);
    await q.query(`CREATE INDEX contact_identities_value_trgm ON contact_identities USING gin (value gin_trgm_ops)`);
    await enableTenantRls(q, 'contact_identities');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS contact_identities`);
    await q.query(`DROP TABLE IF EXISTS contacts`);
    await q.query(`DROP TABLE IF EXISTS organizations`);
  }
}
