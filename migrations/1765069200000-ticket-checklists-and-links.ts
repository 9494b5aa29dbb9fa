import type { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantRls } from '../libs/platform/src/database/migration-helpers';

/**
 * Checklists on tickets (from a tenant's templates or written on the spot; items done by whom and
 * when) and read-only links to work tracked elsewhere: an external task or an AI agent session,
 * upserted by integrations on (ticket, kind, system, external id).
 */
export class TicketChecklistsAndLinks1765069200000 implements MigrationInterface {
  name = 'TicketChecklistsAndLinks1765069200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE ticket_checklist_templates (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
      items text[] NOT NULL CHECK (cardinality(items) BETWEEN 1 AND 100),
      deleted_at timestamptz,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      version int NOT NULL DEFAULT 1,
      PRIMARY KEY (tenant_id, id)
    )`);
    await q.query(`CREATE INDEX ticket_checklist_templates_list ON ticket_checklist_templates (tenant_id, created_at, id) WHERE deleted_at IS NULL`);
    await enableTenantRls(q, 'ticket_checklist_templates');

    await q.query(`CREATE TABLE ticket_checklists (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      ticket_id uuid NOT NULL,
      title text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
      template_id uuid,
      created_by uuid,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id),
      FOREIGN KEY (tenant_id, ticket_id) REFERENCES tickets (tenant_id, id) ON DELETE CASCADE
    )`);
    await q.query(`CREATE INDEX ticket_checklists_ticket ON ticket_checklists (tenant_id, ticket_id, created_at, id)`);
    await enableTenantRls(q, 'ticket_checklists');

    await q.query(`CREATE TABLE ticket_checklist_items (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      checklist_id uuid NOT NULL,
      position int NOT NULL,
      text text NOT NULL CHECK (char_length(text) BETWEEN 1 AND 500),
      done_at timestamptz,
      done_by uuid,
      PRIMARY KEY (tenant_id, id),
      UNIQUE (tenant_id, checklist_id, position),
      FOREIGN KEY (tenant_id, checklist_id) REFERENCES ticket_checklists (tenant_id, id) ON DELETE CASCADE
    )`);
    await enableTenantRls(q, 'ticket_checklist_items');

    await q.query(`CREATE TABLE ticket_external_links (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      ticket_id uuid NOT NULL,
      kind text NOT NULL CHECK (kind IN ('task', 'agent_session')),
      system text NOT NULL CHECK (system ~ '^[a-z][a-z0-9_.-]{0,39}$'),
      external_id text NOT NULL CHECK (char_length(external_id) BETWEEN 1 AND 200),
      title text CHECK (char_length(title) <= 300),
      status text CHECK (char_length(status) <= 60),
      url text CHECK (char_length(url) <= 2000),
      due_at timestamptz,
      assignee text CHECK (char_length(assignee) <= 200),
      agent_key text CHECK (char_length(agent_key) <= 100),
      purpose text CHECK (char_length(purpose) <= 500),
      outcome text CHECK (char_length(outcome) <= 2000),
      confidence real CHECK (confidence BETWEEN 0 AND 1),
      updated_by uuid,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      version int NOT NULL DEFAULT 1,
      PRIMARY KEY (tenant_id, id),
      UNIQUE (tenant_id, ticket_id, kind, system, external_id),
      FOREIGN KEY (tenant_id, ticket_id) REFERENCES tickets (tenant_id, id) ON DELETE CASCADE
    )`);
    await enableTenantRls(q, 'ticket_external_links');
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['ticket_external_links', 'ticket_checklist_items', 'ticket_checklists', 'ticket_checklist_templates']) await q.query(`DROP TABLE IF EXISTS ${table}`);
  }
}
