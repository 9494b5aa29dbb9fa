import type { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantRls } from '../libs/platform/src/database/migration-helpers';

/**
 * Channels (ADR 0034): per-tenant inbound/outbound channels (email now; Telegram, WhatsApp and the
 * web widget later share the tables), the raw inbound messages kept durably until the worker has
 * threaded them, the message-id / token index that threads replies, each ticket's conversation on
 * a channel, and the outbound delivery of every public agent reply with its status.
 */
export class Channels1765058400000 implements MigrationInterface {
  name = 'Channels1765058400000';

  async up(q: QueryRunner): Promise<void> {
    // The key that encrypts channel configuration when CHANNELS_ENCRYPTION_KEYS is not set.
    await q.query(`INSERT INTO platform_secrets (name, value) VALUES ('channels_encryption_key', encode(gen_random_bytes(32), 'base64')) ON CONFLICT (name) DO NOTHING`);

    await q.query(`CREATE TABLE channels (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      kind text NOT NULL CHECK (kind IN ('email', 'telegram', 'whatsapp', 'web')),
      name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
      status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
      address text CHECK (char_length(address) <= 320),
      from_name text CHECK (char_length(from_name) <= 100),
      signature text CHECK (char_length(signature) <= 4000),
      config_key_id text NOT NULL,
      config bytea NOT NULL,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      updated_at timestamptz(3) NOT NULL DEFAULT now(),
      version int NOT NULL DEFAULT 1,
      PRIMARY KEY (tenant_id, id)
    )`);
    // An inbound address routes SMTP mail to one tenant's channel: unique across tenants (a routing key, like an API key's hash).
    await q.query(`CREATE UNIQUE INDEX channels_address ON channels (lower(address)) WHERE address IS NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX channels_id ON channels (id)`);
    await enableTenantRls(q, 'channels', ['SELECT', 'INSERT', 'UPDATE']);

    await q.query(`CREATE TABLE channel_inbound (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      channel_id uuid NOT NULL,
      external_id text NOT NULL CHECK (char_length(external_id) <= 1000),
      sender text NOT NULL CHECK (char_length(sender) <= 320),
      subject text CHECK (char_length(subject) <= 1000),
      received_via text NOT NULL CHECK (received_via IN ('webhook', 'smtp')),
      raw bytea NOT NULL,
      size int NOT NULL,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'processing', 'processed', 'ignored', 'failed')),
      classification text CHECK (classification IN ('message', 'auto_reply', 'bounce', 'delivery_report', 'loop')),
      not_before timestamptz(3) NOT NULL DEFAULT now(),
      attempts int NOT NULL DEFAULT 0,
      claimed_at timestamptz(3),
      processed_at timestamptz(3),
      error text CHECK (char_length(error) <= 1000),
      ticket_id uuid,
      ticket_message_id uuid,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id),
      FOREIGN KEY (tenant_id, channel_id) REFERENCES channels (tenant_id, id),
      UNIQUE (tenant_id, channel_id, external_id)
    )`);
    await q.query(`CREATE INDEX channel_inbound_due ON channel_inbound (not_before) WHERE status IN ('pending', 'processing')`);
    await q.query(`CREATE INDEX channel_inbound_ticket ON channel_inbound (tenant_id, ticket_id) WHERE ticket_id IS NOT NULL`);
    await enableTenantRls(q, 'channel_inbound', ['SELECT', 'INSERT', 'UPDATE']);

    // Per sender and channel: the theoretical arrival time of the sender's next mail (GCRA pacing, ADR 0034).
    await q.query(`CREATE TABLE channel_sender_pace (
      tenant_id uuid NOT NULL,
      channel_id uuid NOT NULL,
      sender text NOT NULL,
      tat timestamptz(3) NOT NULL,
      PRIMARY KEY (tenant_id, channel_id, sender)
    )`);
    await enableTenantRls(q, 'channel_sender_pace', ['SELECT', 'INSERT', 'UPDATE', 'DELETE']);

    // One row per ticket that lives on a channel: the reply-to token and whom to answer.
    await q.query(`CREATE TABLE channel_conversations (
      tenant_id uuid NOT NULL,
      ticket_id uuid NOT NULL,
      channel_id uuid NOT NULL,
      token text NOT NULL CHECK (token ~ '^[a-z0-9]{16}$'),
      contact_address text NOT NULL CHECK (char_length(contact_address) <= 320),
      subject text NOT NULL CHECK (char_length(subject) <= 1000),
      thread_index text,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, ticket_id),
      UNIQUE (tenant_id, token),
      FOREIGN KEY (tenant_id, ticket_id) REFERENCES tickets (tenant_id, id) ON DELETE CASCADE,
      FOREIGN KEY (tenant_id, channel_id) REFERENCES channels (tenant_id, id)
    )`);
    await q.query(`CREATE INDEX channel_conversations_thread ON channel_conversations (tenant_id, thread_index) WHERE thread_index IS NOT NULL`);
    await enableTenantRls(q, 'channel_conversations', ['SELECT', 'INSERT', 'UPDATE']);

    // Every Message-ID seen or sent on a ticket: replies thread by In-Reply-To / References.
    await q.query(`CREATE TABLE channel_message_refs (
      tenant_id uuid NOT NULL,
      message_id text NOT NULL CHECK (char_length(message_id) <= 1000),
      ticket_id uuid NOT NULL,
      ticket_message_id uuid,
      direction text NOT NULL CHECK (direction IN ('in', 'out')),
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, message_id),
      FOREIGN KEY (tenant_id, ticket_id) REFERENCES tickets (tenant_id, id) ON DELETE CASCADE
    )`);
    await q.query(`CREATE INDEX channel_message_refs_message ON channel_message_refs (tenant_id, ticket_message_id) WHERE ticket_message_id IS NOT NULL`);
    await enableTenantRls(q, 'channel_message_refs', ['SELECT', 'INSERT', 'UPDATE']);

    await q.query(`CREATE TABLE channel_deliveries (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      channel_id uuid NOT NULL,
      ticket_id uuid NOT NULL,
      ticket_message_id uuid NOT NULL,
      recipient text NOT NULL CHECK (char_length(recipient) <= 320),
      status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sending', 'sent', 'delivered', 'failed')),
      attempts int NOT NULL DEFAULT 0,
      next_attempt_at timestamptz(3) NOT NULL DEFAULT now(),
      claimed_at timestamptz(3),
      message_id text CHECK (char_length(message_id) <= 1000),
      provider_message_id text CHECK (char_length(provider_message_id) <= 1000),
      error text CHECK (char_length(error) <= 1000),
      sent_at timestamptz(3),
      failed_at timestamptz(3),
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      updated_at timestamptz(3) NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id),
      UNIQUE (tenant_id, ticket_message_id),
      FOREIGN KEY (tenant_id, channel_id) REFERENCES channels (tenant_id, id),
      FOREIGN KEY (tenant_id, ticket_id) REFERENCES tickets (tenant_id, id) ON DELETE CASCADE
    )`);
    await q.query(`CREATE INDEX channel_deliveries_due ON channel_deliveries (next_attempt_at) WHERE status IN ('queued', 'sending')`);
    await q.query(`CREATE INDEX channel_deliveries_status ON channel_deliveries (tenant_id, status, created_at)`);
    await q.query(`CREATE INDEX channel_deliveries_message_id ON channel_deliveries (tenant_id, message_id) WHERE message_id IS NOT NULL`);
    await enableTenantRls(q, 'channel_deliveries', ['SELECT', 'INSERT', 'UPDATE']);

    // Addresses that bounced (from DSNs): outbound mail to them still goes, agents see the mark.
    await q.query(`CREATE TABLE channel_bouncing_addresses (
      tenant_id uuid NOT NULL,
      address text NOT NULL CHECK (char_length(address) <= 320),
      reason text CHECK (char_length(reason) <= 1000),
      bounces int NOT NULL DEFAULT 1,
      last_bounced_at timestamptz(3) NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, address)
    )`);
    await enableTenantRls(q, 'channel_bouncing_addresses', ['SELECT', 'INSERT', 'UPDATE', 'DELETE']);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['channel_bouncing_addresses', 'channel_deliveries', 'channel_message_refs', 'channel_conversations', 'channel_sender_pace', 'channel_inbound', 'channels']) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
    await q.query(`DELETE FROM platform_secrets WHERE name = 'channels_encryption_key'`);
  }
}
