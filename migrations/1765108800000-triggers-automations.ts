import type { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantRls } from '../libs/platform/src/database/migration-helpers';

/**
 * Triggers (ordered event–condition–action rules run with each ticket update) and time-based
 * automations (run by a scheduled job), both with conditions and actions as validated JSON
 * documents (ADR 0046). `automation_runs` records that an automation acted on a ticket in one
 * state (its unique key makes it act once per state, even with two workers); an automation's
 * `cursor` is the last ticket id its batched evaluation reached.
 */
export class TriggersAutomations1765108800000 implements MigrationInterface {
  name = 'TriggersAutomations1765108800000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of ['ticket_triggers', 'ticket_automations']) {
      await q.query(`CREATE TABLE ${table} (
        tenant_id uuid NOT NULL,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
        description text CHECK (char_length(description) <= 1000),
        position int NOT NULL DEFAULT 0,
        active boolean NOT NULL DEFAULT true,
        conditions jsonb NOT NULL,
        actions jsonb NOT NULL,
        ${table === 'ticket_automations' ? 'cursor uuid,' : ''}
        deleted_at timestamptz,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version int NOT NULL DEFAULT 1,
        PRIMARY KEY (tenant_id, id)
      )`);
      await q.query(`CREATE UNIQUE INDEX ${table}_name ON ${table} (tenant_id, lower(name)) WHERE deleted_at IS NULL`);
      await q.query(`CREATE INDEX ${table}_order ON ${table} (tenant_id, position, created_at) WHERE deleted_at IS NULL AND active`);
      await enableTenantRls(q, table);
    }
    await q.query(`CREATE TABLE automation_runs (
      tenant_id uuid NOT NULL,
      automation_id uuid NOT NULL,
      ticket_id uuid NOT NULL,
      state_key text NOT NULL,
      automation_version int NOT NULL,
      acted_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, automation_id, ticket_id, state_key),
      FOREIGN KEY (tenant_id, automation_id) REFERENCES ticket_automations (tenant_id, id) ON DELETE CASCADE,
      FOREIGN KEY (tenant_id, ticket_id) REFERENCES tickets (tenant_id, id) ON DELETE CASCADE
    )`);
    await q.query(`CREATE INDEX automation_runs_ticket ON automation_runs (tenant_id, ticket_id)`);
    await enableTenantRls(q, 'automation_runs');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS automation_runs`);
    await q.query(`DROP TABLE IF EXISTS ticket_automations`);
    await q.query(`DROP TABLE IF EXISTS ticket_triggers`);
  }
}
