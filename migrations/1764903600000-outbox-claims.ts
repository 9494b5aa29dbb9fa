import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The relay claims a batch with a lease instead of holding row locks while it talks to Redis
 * (ADR 0018): `claimed_until` marks rows a relay is publishing; a lease that runs out (the relay
 * died or stalled) makes them claimable again.
 */
export class OutboxClaims1764903600000 implements MigrationInterface {
  name = 'OutboxClaims1764903600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox ADD COLUMN claimed_until timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox DROP COLUMN claimed_until`);
  }
}
