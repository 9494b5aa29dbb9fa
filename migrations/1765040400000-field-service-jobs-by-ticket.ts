import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The ticket page lists the jobs made from its ticket (`GET /v1/field-service/jobs?ticketId=`), newest first. */
export class FieldServiceJobsByTicket1765040400000 implements MigrationInterface {
  name = 'FieldServiceJobsByTicket1765040400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX fs_jobs_ticket ON fs_jobs (tenant_id, ticket_id, created_at, id) WHERE ticket_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX fs_jobs_ticket`);
  }
}
