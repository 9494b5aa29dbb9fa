import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_DB_ROLE } from '../libs/platform/src/database/data-source-options';
import { enableTenantRls } from '../libs/platform/src/database/migration-helpers';

export class PlatformFoundation1763776800000 implements MigrationInterface {
  name = 'PlatformFoundation1763776800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS vector`);
    // The non-owner role tenant transactions switch to; it cannot bypass row-level security.
    await q.query(`DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_DB_ROLE}') THEN
        CREATE ROLE ${APP_DB_ROLE} NOLOGIN NOSUPERUSER NOBYPASSRLS;
      END IF;
    END $$`);
    // The login role must be able to SET ROLE to it (a no-op for superusers).
    await q.query(`DO $$ BEGIN
      EXECUTE format('GRANT ${APP_DB_ROLE} TO %I', current_user);
    EXCEPTION WHEN OTHERS THEN NULL;
    END $$`);
    await q.query(`GRANT USAGE ON SCHEMA public TO ${APP_DB_ROLE}`);

    await q.query(`CREATE TABLE outbox (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL,
      position bigint GENERATED ALWAYS AS IDENTITY,
      type text NOT NULL,
      aggregate_type text NOT NULL,
      aggregate_id text NOT NULL,
      payload jsonb NOT NULL,
      actor_id text,
      correlation_id text,
      occurred_at timestamptz NOT NULL DEFAULT now(),
      dispatched_at timestamptz,
      completed_at timestamptz,
      failed_at timestamptz,
      redispatch_count int NOT NULL DEFAULT 0,
      PRIMARY KEY (tenant_id, id)
    )`);
    await q.query(`CREATE INDEX outbox_position ON outbox (position)`);
    await q.query(`CREATE INDEX outbox_undispatched ON outbox (position) WHERE dispatched_at IS NULL`);
    await q.query(`CREATE INDEX outbox_unacknowledged ON outbox (dispatched_at) WHERE dispatched_at IS NOT NULL AND completed_at IS NULL AND failed_at IS NULL`);
    await q.query(`CREATE INDEX outbox_tenant_position ON outbox (tenant_id, position)`);
    // Tenant work only appends and reads events; dispatching is the relay's (owner) business.
    await enableTenantRls(q, 'outbox', ['SELECT', 'INSERT']);

    await q.query(`CREATE TABLE event_receipts (
      tenant_id uuid NOT NULL,
      consumer text NOT NULL,
      event_id uuid NOT NULL,
      processed_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, consumer, event_id)
    )`);
    await q.query(`CREATE INDEX event_receipts_event ON event_receipts (event_id)`);
    await enableTenantRls(q, 'event_receipts', ['SELECT', 'INSERT']);

    await q.query(`CREATE TABLE probes (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      note text CHECK (char_length(note) <= 200),
      consumed_at timestamptz,
      consumption_count int NOT NULL DEFAULT 0,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      version int NOT NULL DEFAULT 1,
      PRIMARY KEY (tenant_id, id)
    )`);
    await q.query(`CREATE INDEX probes_recent ON probes (tenant_id, created_at DESC, id DESC)`);
    await enableTenantRls(q, 'probes');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS probes`);
    await q.query(`DROP TABLE IF EXISTS event_receipts`);
    await q.query(`DROP TABLE IF EXISTS outbox`);
  }
}
