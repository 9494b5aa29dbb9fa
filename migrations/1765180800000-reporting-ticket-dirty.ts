import type { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantRls } from '../libs/platform/src/database/migration-helpers';

/**
 * Tickets whose metrics need recomputing (ADR 0065): a ticket event's receipt marks its ticket
 * here, and the tenant's batched recompute takes up to N marks at a time. `version` grows with
 * every mark, so a recompute clears only the marks it read, never one made while it ran.
 */
export class ReportingTicketDirty1765180800000 implements MigrationInterface {
  name = 'ReportingTicketDirty1765180800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE reporting_ticket_dirty (
      tenant_id uuid NOT NULL,
      ticket_id uuid NOT NULL,
      version bigint NOT NULL DEFAULT 1,
      marked_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, ticket_id)
    )`);
    await enableTenantRls(q, 'reporting_ticket_dirty');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS reporting_ticket_dirty`);
  }
}
