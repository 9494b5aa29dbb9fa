import type { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantRls } from '../libs/platform/src/database/migration-helpers';

/**
 * Daily rollups (ADR 0059): per tenant and local day, at the finest grain the reports break down
 * by (group, agent, channel, priority, and one row set per tag) and summed per dimension and for
 * the whole tenant (`level`), each metric's count, amount and, for percentiles, the day's values. Facts of other contexts' events (SLA breaches, CSAT ratings,
 * completed jobs, AI usage and suggestions), the instants whose days need recomputing, and the
 * time zone the tenant's rows were computed in. Tickets' tags join their metrics (the tag breakdown).
 */
export class ReportingRollups1765159200000 implements MigrationInterface {
  name = 'ReportingRollups1765159200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE reporting_ticket_metrics ADD COLUMN tags text[] NOT NULL DEFAULT '{}'`);
    // A day's recompute finds its tickets by the statuses entered that day and the open ones across its end.
    await q.query(`CREATE INDEX reporting_status_intervals_started ON reporting_status_intervals (tenant_id, started_at)`);
    await q.query(`CREATE INDEX reporting_status_intervals_open ON reporting_status_intervals (tenant_id, ended_at) WHERE status NOT IN ('solved', 'closed')`);

    await q.query(`CREATE TABLE reporting_daily_rollups (
      tenant_id uuid NOT NULL,
      day date NOT NULL,
      level text NOT NULL,
      group_id text NOT NULL DEFAULT '',
      agent_id text NOT NULL DEFAULT '',
      channel text NOT NULL DEFAULT '',
      priority text NOT NULL DEFAULT '',
      tag text NOT NULL DEFAULT '',
      metric text NOT NULL,
      key text NOT NULL DEFAULT '',
      n bigint NOT NULL DEFAULT 0,
      amount bigint NOT NULL DEFAULT 0,
      vals double precision[],
      computed_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, level, day, metric, key, tag, group_id, agent_id, channel, priority)
    )`);
    await q.query(`CREATE INDEX reporting_daily_rollups_day ON reporting_daily_rollups (tenant_id, day)`);
    await enableTenantRls(q, 'reporting_daily_rollups');

    await q.query(`CREATE TABLE reporting_facts (
      tenant_id uuid NOT NULL,
      source text NOT NULL,
      fact_id text NOT NULL,
      at timestamptz(3) NOT NULL,
      ticket_id uuid,
      group_id text NOT NULL DEFAULT '',
      agent_id text NOT NULL DEFAULT '',
      key text NOT NULL DEFAULT '',
      n bigint NOT NULL DEFAULT 1,
      amount bigint NOT NULL DEFAULT 0,
      amount2 bigint NOT NULL DEFAULT 0,
      PRIMARY KEY (tenant_id, source, fact_id)
    )`);
    await q.query(`CREATE INDEX reporting_facts_at ON reporting_facts (tenant_id, at)`);
    await enableTenantRls(q, 'reporting_facts');

    await q.query(`CREATE TABLE reporting_rollup_dirty (
      tenant_id uuid NOT NULL,
      id bigint GENERATED ALWAYS AS IDENTITY,
      from_at timestamptz(3) NOT NULL,
      to_at timestamptz(3),
      marked_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id)
    )`);
    await enableTenantRls(q, 'reporting_rollup_dirty');

    await q.query(`CREATE TABLE reporting_rollup_state (
      tenant_id uuid NOT NULL PRIMARY KEY,
      time_zone text NOT NULL,
      computed_at timestamptz NOT NULL DEFAULT now()
    )`);
    await enableTenantRls(q, 'reporting_rollup_state');
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['reporting_rollup_state', 'reporting_rollup_dirty', 'reporting_facts', 'reporting_daily_rollups']) await q.query(`DROP TABLE IF EXISTS ${t}`);
    await q.query(`DROP INDEX IF EXISTS reporting_status_intervals_open`);
    await q.query(`DROP INDEX IF EXISTS reporting_status_intervals_started`);
    await q.query(`ALTER TABLE reporting_ticket_metrics DROP COLUMN IF EXISTS tags`);
  }
}
