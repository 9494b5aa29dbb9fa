import type { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantRls } from '../libs/platform/src/database/migration-helpers';

/** Addresses and sites of a contact: where technicians go and what they should know there. */
export class ContactAddresses1763802000000 implements MigrationInterface {
  name = 'ContactAddresses1763802000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE contact_addresses (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      contact_id uuid NOT NULL,
      label text NOT NULL CHECK (char_length(label) BETWEEN 1 AND 100),
      street text CHECK (char_length(street) <= 300),
      city text CHECK (char_length(city) <= 120),
      region text CHECK (char_length(region) <= 120),
      postal_code text CHECK (char_length(postal_code) <= 20),
      country text CHECK (country ~ '^[A-Z]{2}$'),
      access_notes text CHECK (char_length(access_notes) <= 2000),
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      version int NOT NULL DEFAULT 1,
      PRIMARY KEY (tenant_id, id),
      FOREIGN KEY (tenant_id, contact_id) REFERENCES contacts (tenant_id, id) ON DELETE CASCADE
    )`);
    await q.query(`CREATE INDEX contact_addresses_contact ON contact_addresses (tenant_id, contact_id, created_at)`);
    await enableTenantRls(q, 'contact_addresses');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS contact_addresses`);
  }
}
