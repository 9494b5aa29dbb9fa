import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The worker's job scheduler (ADR 0016): a receipt per completed period of a schedule, so that a
 * period delivered twice (two workers, a restart, a retried job) has its effect once, and one
 * status row per schedule for /health and /metrics. Neither table is tenant-owned (schedules run
 * across tenants as the owning role), so neither has row-level security, and the application
 * role gets no privileges on them.
 */
export class JobSchedules1764986400000 implements MigrationInterface {
  name = 'JobSchedules1764986400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE scheduled_runs (
      schedule_id text NOT NULL,
      period_start timestamptz NOT NULL,
      job_id text,
      completed_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (schedule_id, period_start)
    )`);
    await q.query(`CREATE TABLE schedule_status (
      schedule_id text PRIMARY KEY,
      last_run_at timestamptz,
      last_period_start timestamptz,
      last_duration_ms integer,
      last_error text,
      last_error_at timestamptz,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS schedule_status`);
    await q.query(`DROP TABLE IF EXISTS scheduled_runs`);
  }
}
