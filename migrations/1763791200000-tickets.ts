import type { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantRls } from '../libs/platform/src/database/migration-helpers';

/**
 * Tickets, their messages and their history. Requesters (contacts) and assignees (users) live in
 * other contexts and are checked through their queries, not foreign keys.
 */
export class Tickets1763791200000 implements MigrationInterface {
  name = 'Tickets1763791200000';

  async up(q: QueryRunner): Promise<void> {
    // Per-tenant human numbers: a row lock on the counter serialises numbering, nothing else.
    await q.query(`CREATE TABLE ticket_counters (
      tenant_id uuid PRIMARY KEY,
      last_number int NOT NULL
    )`);
    await enableTenantRls(q, 'ticket_counters', ['SELECT', 'INSERT', 'UPDATE']);

    await q.query(`CREATE TABLE tickets (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      number int NOT NULL,
      subject text NOT NULL CHECK (char_length(subject) BETWEEN 1 AND 500),
      status text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'open', 'pending', 'on_hold', 'solved', 'closed')),
      priority text NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
      type text NOT NULL DEFAULT 'question' CHECK (type IN ('question', 'incident', 'problem', 'task')),
      channel text NOT NULL DEFAULT 'api',
      requester_id uuid NOT NULL,
      assignee_id uuid,
      tags text[] NOT NULL DEFAULT '{}',
      due_at timestamptz,
      external_id text CHECK (char_length(external_id) <= 200),
      search tsvector GENERATED ALWAYS AS (to_tsvector('simple', subject)) STORED,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      updated_at timestamptz(3) NOT NULL DEFAULT now(),
      version int NOT NULL DEFAULT 1,
      PRIMARY KEY (tenant_id, id),
      UNIQUE (tenant_id, number)
    )`);
    await q.query(`CREATE INDEX tickets_status_created ON tickets (tenant_id, status, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX tickets_created ON tickets (tenant_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX tickets_updated ON tickets (tenant_id, updated_at DESC, id DESC)`);
    await q.query(`CREATE INDEX tickets_assignee ON tickets (tenant_id, assignee_id) WHERE assignee_id IS NOT NULL`);
    await q.query(`CREATE INDEX tickets_requester ON tickets (tenant_id, requester_id)`);
    await q.query(`CREATE INDEX tickets_tags ON tickets USING gin (tags)`);
    await q.query(`CREATE INDEX tickets_search ON tickets USING gin (search)`);
    await enableTenantRls(q, 'tickets');

    await q.query(`CREATE TABLE ticket_messages (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      ticket_id uuid NOT NULL,
      visibility text NOT NULL CHECK (visibility IN ('public', 'internal')),
      author_type text NOT NULL CHECK (author_type IN ('agent', 'contact', 'system')),
      author_id text,
      body text NOT NULL CHECK (char_length(body) BETWEEN 1 AND 100000),
      html text,
      search tsvector GENERATED ALWAYS AS (to_tsvector('simple', body)) STORED,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id),
      FOREIGN KEY (tenant_id, ticket_id) REFERENCES tickets (tenant_id, id) ON DELETE CASCADE
    )`);
    await q.query(`CREATE INDEX ticket_messages_ticket ON ticket_messages (tenant_id, ticket_id, created_at, id)`);
    await q.query(`CREATE INDEX ticket_messages_search ON ticket_messages USING gin (search)`);
    await enableTenantRls(q, 'ticket_messages');

    await q.query(`CREATE TABLE ticket_events (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      position bigint GENERATED ALWAYS AS IDENTITY,
      ticket_id uuid NOT NULL,
      action text NOT NULL,
      changes jsonb NOT NULL DEFAULT '{}',
      actor_type text NOT NULL,
      actor_id text,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id),
      FOREIGN KEY (tenant_id, ticket_id) REFERENCES tickets (tenant_id, id) ON DELETE CASCADE
    )`);
    await q.query(`CREATE INDEX ticket_events_ticket ON ticket_events (tenant_id, ticket_id, position DESC)`);
    // History is append-only, like the audit log.
    await enableTenantRls(q, 'ticket_events', ['SELECT', 'INSERT']);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['ticket_events', 'ticket_messages', 'tickets', 'ticket_counters']) await q.query(`DROP TABLE IF EXISTS ${t}`);
  }
}
