import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Chat channels (ADR 0039) on the email channel's tables (ADR 0034, already under row-level
 * security): a chat's conversation is found by its chat id on the channel; a WhatsApp status
 * webhook finds its delivery by the provider's message id; the 24-hour customer window is the
 * time of the contact's last inbound message; a delivery may be a WhatsApp template (its name,
 * language and parameters) and may reach `read`.
 */
export class ChatChannels1765083600000 implements MigrationInterface {
  name = 'ChatChannels1765083600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX channel_conversations_contact ON channel_conversations (tenant_id, channel_id, contact_address, created_at DESC)`);
    await q.query(`CREATE INDEX channel_inbound_sender ON channel_inbound (tenant_id, channel_id, sender, created_at DESC)`);
    await q.query(`CREATE INDEX channel_deliveries_provider_id ON channel_deliveries (tenant_id, channel_id, provider_message_id) WHERE provider_message_id IS NOT NULL`);
    await q.query(`ALTER TABLE channel_deliveries DROP CONSTRAINT channel_deliveries_status_check`);
    await q.query(`ALTER TABLE channel_deliveries ADD CONSTRAINT channel_deliveries_status_check CHECK (status IN ('queued', 'sending', 'sent', 'delivered', 'read', 'failed'))`);
    await q.query(`ALTER TABLE channel_deliveries ADD COLUMN template jsonb CHECK (template IS NULL OR (jsonb_typeof(template) = 'object' AND octet_length(template::text) <= 8192))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE channel_deliveries DROP COLUMN IF EXISTS template`);
    await q.query(`UPDATE channel_deliveries SET status = 'delivered' WHERE status = 'read'`);
    await q.query(`ALTER TABLE channel_deliveries DROP CONSTRAINT channel_deliveries_status_check`);
    await q.query(`ALTER TABLE channel_deliveries ADD CONSTRAINT channel_deliveries_status_check CHECK (status IN ('queued', 'sending', 'sent', 'delivered', 'failed'))`);
    await q.query(`DROP INDEX IF EXISTS channel_deliveries_provider_id`);
    await q.query(`DROP INDEX IF EXISTS channel_inbound_sender`);
    await q.query(`DROP INDEX IF EXISTS channel_conversations_contact`);
  }
}
