import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each outbox row records the version of its event's payload (ADR 0015): consumers and the
 * console replay can tell an old payload from a new one. Rows written before carry version 1,
 * which is what every event had then.
 */
export class EventVersions1764900000000 implements MigrationInterface {
  name = 'EventVersions1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox ADD COLUMN event_version integer NOT NULL DEFAULT 1`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox DROP COLUMN event_version`);
  }
}
