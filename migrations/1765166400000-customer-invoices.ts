import type { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantRls } from '../libs/platform/src/database/migration-helpers';

/**
 * Customer invoices (ADR 0061): tenants bill their own customers for field-service work. Invoices
 * and credit notes with their lines, a counter row per tenant, series and year that finalising
 * locks (numbers without gaps), and each tenant's invoicing settings (Stripe connected account,
 * address, logo, payment terms).
 */
export class CustomerInvoices1765166400000 implements MigrationInterface {
  name = 'CustomerInvoices1765166400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE billing_invoices (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      kind text NOT NULL CHECK (kind IN ('invoice', 'credit_note')),
      status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'open', 'sent', 'paid', 'void')),
      number text CHECK (char_length(number) <= 40),
      contact_id uuid NOT NULL,
      job_id uuid,
      credited_invoice_id uuid,
      currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
      subtotal bigint NOT NULL DEFAULT 0,
      tax bigint NOT NULL DEFAULT 0,
      total bigint NOT NULL DEFAULT 0,
      memo text CHECK (char_length(memo) <= 2000),
      due_days int NOT NULL DEFAULT 14 CHECK (due_days BETWEEN 0 AND 365),
      issued_at timestamptz,
      due_at timestamptz,
      sent_at timestamptz,
      sent_to text,
      paid_at timestamptz,
      payment_method text,
      payment_reference text CHECK (char_length(payment_reference) <= 200),
      voided_at timestamptz,
      void_reason text CHECK (char_length(void_reason) <= 500),
      stripe_payment_link_id text CHECK (char_length(stripe_payment_link_id) <= 255),
      payment_url text CHECK (char_length(payment_url) <= 2000),
      source_event_id text,
      created_by uuid,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      updated_at timestamptz(3) NOT NULL DEFAULT now(),
      version int NOT NULL DEFAULT 1,
      PRIMARY KEY (tenant_id, id),
      FOREIGN KEY (tenant_id, credited_invoice_id) REFERENCES billing_invoices (tenant_id, id),
      CHECK (status <> 'draft' OR number IS NULL),
      CHECK (status IN ('draft', 'void') OR number IS NOT NULL),
      CHECK ((kind = 'credit_note') = (credited_invoice_id IS NOT NULL)),
      CHECK (subtotal + tax = total),
      CHECK (kind = 'invoice' AND total >= 0 OR kind = 'credit_note' AND total <= 0)
    )`);
    await q.query(`CREATE UNIQUE INDEX billing_invoices_number ON billing_invoices (tenant_id, number) WHERE number IS NOT NULL`);
    // One invoice per completed job: a second delivery of the job's event finds it.
    await q.query(`CREATE UNIQUE INDEX billing_invoices_job ON billing_invoices (tenant_id, job_id) WHERE job_id IS NOT NULL AND kind = 'invoice'`);
    await q.query(`CREATE INDEX billing_invoices_list ON billing_invoices (tenant_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX billing_invoices_contact ON billing_invoices (tenant_id, contact_id, created_at DESC)`);
    await q.query(`CREATE INDEX billing_invoices_credited ON billing_invoices (tenant_id, credited_invoice_id) WHERE credited_invoice_id IS NOT NULL`);
    await enableTenantRls(q, 'billing_invoices', ['SELECT', 'INSERT', 'UPDATE']);

    await q.query(`CREATE TABLE billing_invoice_lines (
      tenant_id uuid NOT NULL,
      invoice_id uuid NOT NULL,
      position int NOT NULL CHECK (position >= 0),
      description text NOT NULL CHECK (char_length(description) BETWEEN 1 AND 500),
      quantity numeric(13, 6) NOT NULL CHECK (quantity > 0),
      unit_price bigint NOT NULL CHECK (unit_price >= 0),
      tax_rate_bp int NOT NULL CHECK (tax_rate_bp BETWEEN 0 AND 10000),
      service_id uuid,
      subtotal bigint NOT NULL,
      tax bigint NOT NULL,
      total bigint NOT NULL CHECK (subtotal + tax = total),
      PRIMARY KEY (tenant_id, invoice_id, position),
      FOREIGN KEY (tenant_id, invoice_id) REFERENCES billing_invoices (tenant_id, id) ON DELETE CASCADE
    )`);
    await enableTenantRls(q, 'billing_invoice_lines', ['SELECT', 'INSERT', 'DELETE']);

    await q.query(`CREATE TABLE billing_invoice_counters (
      tenant_id uuid NOT NULL,
      series text NOT NULL CHECK (series IN ('INV', 'CN')),
      year int NOT NULL CHECK (year BETWEEN 2000 AND 9999),
      last int NOT NULL CHECK (last > 0),
      PRIMARY KEY (tenant_id, series, year)
    )`);
    await enableTenantRls(q, 'billing_invoice_counters', ['SELECT', 'INSERT', 'UPDATE']);

    await q.query(`CREATE TABLE billing_invoice_settings (
      tenant_id uuid PRIMARY KEY,
      stripe_account_id text CHECK (stripe_account_id ~ '^acct_[A-Za-z0-9]{1,250}$'),
      address text CHECK (char_length(address) <= 1000),
      tax_id text CHECK (char_length(tax_id) <= 100),
      footer text CHECK (char_length(footer) <= 1000),
      logo bytea CHECK (octet_length(logo) <= 262144),
      logo_type text CHECK (logo_type IN ('image/png', 'image/jpeg')),
      due_days int NOT NULL DEFAULT 14 CHECK (due_days BETWEEN 0 AND 365),
      updated_at timestamptz(3) NOT NULL DEFAULT now(),
      version int NOT NULL DEFAULT 1,
      CHECK ((logo IS NULL) = (logo_type IS NULL))
    )`);
    await enableTenantRls(q, 'billing_invoice_settings', ['SELECT', 'INSERT', 'UPDATE']);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS billing_invoice_settings, billing_invoice_counters, billing_invoice_lines, billing_invoices`);
  }
}
