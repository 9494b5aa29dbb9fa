import type { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantRls } from '../libs/platform/src/database/migration-helpers';

/**
 * Time tracking on tickets: entries (who, how long, what kind of work, billable, when) and one
 * running timer per agent. Entries stay when a ticket is deleted (they are a record of work done,
 * like the ticket's tombstone); the totals per agent read them by when the work happened.
 */
export class TicketTimeTracking1765065600000 implements MigrationInterface {
  name = 'TicketTimeTracking1765065600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE ticket_time_entries (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      ticket_id uuid NOT NULL,
      user_id uuid NOT NULL,
      minutes int NOT NULL CHECK (minutes BETWEEN 1 AND 1440),
      activity_type text NOT NULL DEFAULT 'general' CHECK (activity_type ~ '^[a-z][a-z0-9_]{0,39}$'),
      billable boolean NOT NULL DEFAULT true,
      note text CHECK (char_length(note) <= 2000),
      worked_at timestamptz NOT NULL DEFAULT now(),
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      version int NOT NULL DEFAULT 1,
      PRIMARY KEY (tenant_id, id),
      FOREIGN KEY (tenant_id, ticket_id) REFERENCES tickets (tenant_id, id) ON DELETE CASCADE
    )`);
    await q.query(`CREATE INDEX ticket_time_entries_ticket ON ticket_time_entries (tenant_id, ticket_id, worked_at, id)`);
    await q.query(`CREATE INDEX ticket_time_entries_worked ON ticket_time_entries (tenant_id, worked_at, user_id)`);
    await enableTenantRls(q, 'ticket_time_entries');

    // One running timer per agent (the primary key): starting another stops this one.
    await q.query(`CREATE TABLE ticket_timers (
      tenant_id uuid NOT NULL,
      user_id uuid NOT NULL,
      ticket_id uuid NOT NULL,
      activity_type text NOT NULL DEFAULT 'general' CHECK (activity_type ~ '^[a-z][a-z0-9_]{0,39}$'),
      billable boolean NOT NULL DEFAULT true,
      note text CHECK (char_length(note) <= 2000),
      started_at timestamptz(3) NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, user_id),
      FOREIGN KEY (tenant_id, ticket_id) REFERENCES tickets (tenant_id, id) ON DELETE CASCADE
    )`);
    await enableTenantRls(q, 'ticket_timers');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS ticket_timers`);
    await q.query(`DROP TABLE IF EXISTS ticket_time_entries`);
  }
}
