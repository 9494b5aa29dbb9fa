import type { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantRls } from '../libs/platform/src/database/migration-helpers';

/**
 * Chat channels (ADR 0039) on the email channel's tables (ADR 0034, already under row-level
 * security): a chat's conversation is found by its chat id on the channel; a WhatsApp status
 * webhook finds its delivery by the provider's message id; the 24-hour customer window is the
 * time of the contact's last inbound message; a delivery may be a WhatsApp template (its name,
 * language and parameters) and may reach `read`. Message templates per key and locale; the public
 * contact form's settings (extra fields, limits) and its submissions (the per-IP hourly limit
 * counts them); the key that signs contact-form tokens (unless CHANNELS_FORM_SIGNING_KEY is set).
 */
export class ChatChannels1765083600000 implements MigrationInterface {
  name = 'ChatChannels1765083600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX channel_conversations_contact ON channel_conversations (tenant_id, channel_id, contact_address, created_at DESC)`);
    await q.query(`CREATE INDEX channel_inbound_sender ON channel_inbound (tenant_id, channel_id, sender, created_at DESC)`);
    await q.query(`CREATE INDEX channel_deliveries_provider_id ON channel_deliveries (tenant_id, channel_id, provider_message_id) WHERE provider_message_id IS NOT NULL`);
    await q.query(`ALTER TABLE channel_deliveries DROP CONSTRAINT channel_deliveries_status_check`);
    await q.query(`ALTER TABLE channel_deliveries ADD CONSTRAINT channel_deliveries_status_check CHECK (status IN ('queued', 'sending', 'sent', 'delivered', 'read', 'failed'))`);
    await q.query(`ALTER TABLE channel_deliveries ADD COLUMN template jsonb CHECK (template IS NULL OR (jsonb_typeof(template) = 'object' AND octet_length(template::text) <= 65536))`);

    await q.query(`CREATE TABLE message_templates (
      tenant_id uuid NOT NULL,
      key text NOT NULL CHECK (key ~ '^[a-z][a-z0-9_.]{0,99}$'),
      locale text NOT NULL CHECK (locale ~ '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$' AND char_length(locale) <= 35),
      subject text CHECK (char_length(subject) <= 500),
      body text NOT NULL CHECK (char_length(body) BETWEEN 1 AND 20000),
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      updated_at timestamptz(3) NOT NULL DEFAULT now(),
      version int NOT NULL DEFAULT 1,
      PRIMARY KEY (tenant_id, key, locale)
    )`);
    await enableTenantRls(q, 'message_templates', ['SELECT', 'INSERT', 'UPDATE', 'DELETE']);

    await q.query(`INSERT INTO platform_secrets (name, value) VALUES ('contact_form_signing_key', encode(gen_random_bytes(32), 'base64')) ON CONFLICT (name) DO NOTHING`);
    await q.query(`CREATE TABLE contact_form_settings (
      tenant_id uuid NOT NULL PRIMARY KEY,
      enabled boolean NOT NULL DEFAULT true,
      fields jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(fields) = 'array' AND octet_length(fields::text) <= 16384),
      per_ip_per_hour int NOT NULL DEFAULT 5 CHECK (per_ip_per_hour BETWEEN 1 AND 10000),
      min_fill_seconds int NOT NULL DEFAULT 3 CHECK (min_fill_seconds BETWEEN 0 AND 3600),
      updated_at timestamptz(3) NOT NULL DEFAULT now(),
      version int NOT NULL DEFAULT 1
    )`);
    await enableTenantRls(q, 'contact_form_settings', ['SELECT', 'INSERT', 'UPDATE']);
    await q.query(`CREATE TABLE contact_form_submissions (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      ip_hash text NOT NULL CHECK (char_length(ip_hash) = 64),
      outcome text NOT NULL CHECK (outcome IN ('ticket', 'spam')),
      ticket_id uuid,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id),
      FOREIGN KEY (tenant_id, ticket_id) REFERENCES tickets (tenant_id, id) ON DELETE SET NULL (ticket_id)
    )`);
    await q.query(`CREATE INDEX contact_form_submissions_ip ON contact_form_submissions (tenant_id, ip_hash, created_at DESC)`);
    await enableTenantRls(q, 'contact_form_submissions', ['SELECT', 'INSERT', 'DELETE']);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS contact_form_submissions`);
    await q.query(`DROP TABLE IF EXISTS contact_form_settings`);
    await q.query(`DELETE FROM platform_secrets WHERE name = 'contact_form_signing_key'`);
    await q.query(`DROP TABLE IF EXISTS message_templates`);
    await q.query(`ALTER TABLE channel_deliveries DROP COLUMN IF EXISTS template`);
    await q.query(`UPDATE channel_deliveries SET status = 'delivered' WHERE status = 'read'`);
    await q.query(`ALTER TABLE channel_deliveries DROP CONSTRAINT channel_deliveries_status_check`);
    await q.query(`ALTER TABLE channel_deliveries ADD CONSTRAINT channel_deliveries_status_check CHECK (status IN ('queued', 'sending', 'sent', 'delivered', 'failed'))`);
    await q.query(`DROP INDEX IF EXISTS channel_deliveries_provider_id`);
    await q.query(`DROP INDEX IF EXISTS channel_inbound_sender`);
    await q.query(`DROP INDEX IF EXISTS channel_conversations_contact`);
  }
}
