import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The ticket-metrics export reads in (computed_at, ticket_id) order from a cursor, page by page. */
export class ReportingExportOrder1765155600000 implements MigrationInterface {
  name = 'ReportingExportOrder1765155600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX reporting_ticket_metrics_computed ON reporting_ticket_metrics (tenant_id, computed_at, ticket_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS reporting_ticket_metrics_computed`);
  }
}
