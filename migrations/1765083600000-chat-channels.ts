import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Chat channels (ADR 0039): a Telegram conversation is found by its chat on the channel, so the
 * conversations table gets an index on (channel, contact address). The tables themselves are the
 * email channel's (ADR 0034), already under row-level security.
 */
export class ChatChannels1765083600000 implements MigrationInterface {
  name = 'ChatChannels1765083600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX channel_conversations_contact ON channel_conversations (tenant_id, channel_id, contact_address, created_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS channel_conversations_contact`);
  }
}
