import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_DB_ROLE } from '../libs/platform/src/database/data-source-options';
import { enableTenantRls } from '../libs/platform/src/database/migration-helpers';

/**
 * Reporting (ADR 0051): per-ticket metrics and status intervals kept by the worker from the
 * tickets' history, and the operator's rebuild progress.
 * History entries remember the ticket they were recorded on when a merge moves them
 * (`origin_ticket_id`), so each ticket's metrics stay its own after a merge.
 */
export class Reporting1765123200000 implements MigrationInterface {
  name = 'Reporting1765123200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ticket_events ADD COLUMN origin_ticket_id uuid`);
    await q.query(`CREATE INDEX ticket_events_origin ON ticket_events (tenant_id, origin_ticket_id, position) WHERE origin_ticket_id IS NOT NULL`);
    await q.query(`GRANT UPDATE (origin_ticket_id) ON ticket_events TO ${APP_DB_ROLE}`);

    await q.query(`CREATE TABLE reporting_ticket_metrics (
      tenant_id uuid NOT NULL,
      ticket_id uuid NOT NULL,
      created_at timestamptz(3) NOT NULL,
      status text NOT NULL,
      custom_status_id uuid,
      group_id uuid,
      assignee_id uuid,
      channel text NOT NULL,
      priority text NOT NULL,
      first_reply_at timestamptz(3),
      first_reply_minutes double precision,
      first_reply_business_minutes double precision,
      next_replies jsonb NOT NULL DEFAULT '[]',
      first_solved_at timestamptz(3),
      solved_at timestamptz(3),
      full_resolution_minutes double precision,
      full_resolution_business_minutes double precision,
      public_replies int NOT NULL,
      internal_notes int NOT NULL,
      reopens int NOT NULL,
      assignee_changes int NOT NULL,
      group_changes int NOT NULL,
      agent_touches int NOT NULL,
      history_position bigint NOT NULL,
      computed_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, ticket_id)
    )`);
    await q.query(`CREATE INDEX reporting_ticket_metrics_created ON reporting_ticket_metrics (tenant_id, created_at)`);
    await enableTenantRls(q, 'reporting_ticket_metrics');

    await q.query(`CREATE TABLE reporting_status_intervals (
      tenant_id uuid NOT NULL,
      ticket_id uuid NOT NULL,
      seq int NOT NULL,
      status text NOT NULL,
      custom_status_id uuid,
      started_at timestamptz(3) NOT NULL,
      ended_at timestamptz(3),
      minutes double precision,
      business_minutes double precision,
      PRIMARY KEY (tenant_id, ticket_id, seq),
      FOREIGN KEY (tenant_id, ticket_id) REFERENCES reporting_ticket_metrics (tenant_id, ticket_id) ON DELETE CASCADE
    )`);
    await enableTenantRls(q, 'reporting_status_intervals');

    await q.query(`CREATE TABLE reporting_rebuilds (
      tenant_id uuid NOT NULL PRIMARY KEY,
      generation int NOT NULL DEFAULT 1,
      state text NOT NULL CHECK (state IN ('running', 'done')),
      after_ticket_id uuid,
      done int NOT NULL DEFAULT 0,
      requested_at timestamptz NOT NULL DEFAULT now(),
      progressed_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz
    )`);
    await enableTenantRls(q, 'reporting_rebuilds');
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['reporting_rebuilds', 'reporting_status_intervals', 'reporting_ticket_metrics']) await q.query(`DROP TABLE IF EXISTS ${t}`);
    await q.query(`DROP INDEX IF EXISTS ticket_events_origin`);
    await q.query(`ALTER TABLE ticket_events DROP COLUMN IF EXISTS origin_ticket_id`);
  }
}
