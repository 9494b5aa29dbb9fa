import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_DB_ROLE } from '../libs/platform/src/database/data-source-options';
import { enableTenantRls } from '../libs/platform/src/database/migration-helpers';

/**
 * Macros (a tenant's named, ordered ticket actions, applied by agents) and ticket merges: a merged
 * ticket names the ticket it went into (`merged_into_id`), the surviving ticket lists what merged
 * into it (`merged_from`). A merge moves the source's messages, attachments and history, so the
 * application role may change those rows' `ticket_id` (and nothing else of history).
 */
export class TicketMacrosAndMerge1765080000000 implements MigrationInterface {
  name = 'TicketMacrosAndMerge1765080000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE ticket_macros (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
      description text CHECK (char_length(description) <= 2000),
      active boolean NOT NULL DEFAULT true,
      actions jsonb NOT NULL CHECK (jsonb_typeof(actions) = 'array'),
      usage_count int NOT NULL DEFAULT 0,
      last_used_at timestamptz(3),
      deleted_at timestamptz,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      version int NOT NULL DEFAULT 1,
      PRIMARY KEY (tenant_id, id)
    )`);
    // One live macro per name (case-insensitive) in a tenant; the list is by name.
    await q.query(`CREATE UNIQUE INDEX ticket_macros_name ON ticket_macros (tenant_id, lower(name)) WHERE deleted_at IS NULL`);
    await enableTenantRls(q, 'ticket_macros');

    await q.query(`ALTER TABLE tickets ADD COLUMN merged_into_id uuid, ADD COLUMN merged_from uuid[] NOT NULL DEFAULT '{}'`);
    await q.query(`GRANT UPDATE (ticket_id) ON ticket_messages, ticket_attachments, ticket_events TO ${APP_DB_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`REVOKE UPDATE (ticket_id) ON ticket_messages, ticket_attachments, ticket_events FROM ${APP_DB_ROLE}`);
    await q.query(`ALTER TABLE tickets DROP COLUMN IF EXISTS merged_from, DROP COLUMN IF EXISTS merged_into_id`);
    await q.query(`DROP TABLE IF EXISTS ticket_macros`);
  }
}
