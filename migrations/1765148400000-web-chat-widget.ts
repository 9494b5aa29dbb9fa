import type { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantRls } from '../libs/platform/src/database/migration-helpers';

/**
 * The web chat widget (ADR 0057): a `web` channel has a public key (unique across tenants: the
 * embed snippet names it, and it routes public calls before any tenant is known) and its widget
 * settings (allowed origins, greeting, colour, what is asked first). A visitor session holds the
 * SHA-256 of its token's secret, its expiry and, once the visitor has written, its ticket.
 * Deliveries remember each part they sent (Telegram's text and each attachment) with the
 * provider's id, so a retry sends only what is missing.
 */
export class WebChatWidget1765148400000 implements MigrationInterface {
  name = 'WebChatWidget1765148400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE channels ADD COLUMN public_key text CHECK (public_key ~ '^wk_[A-Za-z0-9_-]{20,64}$')`);
    await q.query(`ALTER TABLE channels ADD COLUMN widget jsonb CHECK (widget IS NULL OR (jsonb_typeof(widget) = 'object' AND octet_length(widget::text) <= 16384))`);
    await q.query(`CREATE UNIQUE INDEX channels_public_key ON channels (public_key) WHERE public_key IS NOT NULL`);
    await q.query(`ALTER TABLE channel_deliveries ADD COLUMN parts jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(parts) = 'object')`);
    await q.query(`CREATE TABLE widget_sessions (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL,
      channel_id uuid NOT NULL,
      secret_hash text NOT NULL CHECK (char_length(secret_hash) = 64),
      name text CHECK (char_length(name) <= 200),
      email text CHECK (char_length(email) <= 320),
      origin text CHECK (char_length(origin) <= 300),
      contact_id uuid,
      ticket_id uuid,
      expires_at timestamptz(3) NOT NULL,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      last_seen_at timestamptz(3) NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id),
      FOREIGN KEY (tenant_id, channel_id) REFERENCES channels (tenant_id, id) ON DELETE CASCADE,
      FOREIGN KEY (tenant_id, ticket_id) REFERENCES tickets (tenant_id, id) ON DELETE SET NULL (ticket_id)
    )`);
    await q.query(`CREATE INDEX widget_sessions_expiry ON widget_sessions (expires_at)`);
    await q.query(`CREATE INDEX widget_sessions_ticket ON widget_sessions (tenant_id, ticket_id) WHERE ticket_id IS NOT NULL`);
    await enableTenantRls(q, 'widget_sessions', ['SELECT', 'INSERT', 'UPDATE', 'DELETE']);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS widget_sessions`);
    await q.query(`ALTER TABLE channel_deliveries DROP COLUMN IF EXISTS parts`);
    await q.query(`DROP INDEX IF EXISTS channels_public_key`);
    await q.query(`ALTER TABLE channels DROP COLUMN IF EXISTS widget`);
    await q.query(`ALTER TABLE channels DROP COLUMN IF EXISTS public_key`);
  }
}
