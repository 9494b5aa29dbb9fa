import type { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantRls } from '../libs/platform/src/database/migration-helpers';

/**
 * Saved views over tickets: a filter (the same conditions `GET /v1/tickets` takes, plus relative
 * time windows and "me"), a sort, and who sees the view — its owner (personal), a group's members
 * (group) or every agent (shared). `position` orders a console's sidebar. Views are deleted for
 * good; nothing else refers to them.
 */
export class TicketViews1765087200000 implements MigrationInterface {
  name = 'TicketViews1765087200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE ticket_views (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
      scope text NOT NULL CHECK (scope IN ('personal', 'group', 'shared')),
      owner_id uuid,
      group_id uuid,
      filter jsonb NOT NULL DEFAULT '{}'::jsonb,
      sort text NOT NULL DEFAULT 'createdAt' CHECK (char_length(sort) BETWEEN 1 AND 80),
      sort_order text NOT NULL DEFAULT 'desc' CHECK (sort_order IN ('asc', 'desc')),
      position int NOT NULL DEFAULT 0,
      created_by uuid,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      version int NOT NULL DEFAULT 1,
      PRIMARY KEY (tenant_id, id),
      CHECK ((scope = 'personal') = (owner_id IS NOT NULL)),
      CHECK ((scope = 'group') = (group_id IS NOT NULL))
    )`);
    await q.query(`CREATE INDEX ticket_views_owner ON ticket_views (tenant_id, owner_id) WHERE owner_id IS NOT NULL`);
    await enableTenantRls(q, 'ticket_views');
    // Most views are over open work, a small part of a tenant's tickets: this index holds just that
    // part, with the columns views filter it by most (assignee — including none —, group, priority),
    // so a count reads few index pages and checks the conditions without visiting each row.
    await q.query(`CREATE INDEX tickets_open_work ON tickets (tenant_id, status, assignee_id, group_id, priority)
                   WHERE deleted_at IS NULL AND status IN ('new', 'open', 'pending', 'on_hold')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS tickets_open_work`);
    await q.query(`DROP TABLE IF EXISTS ticket_views`);
  }
}
