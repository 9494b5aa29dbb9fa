import type { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantRls } from '../libs/platform/src/database/migration-helpers';

/**
 * The SLA engine's stored state (ADR 0045): each ticket's next deadline and SLA state (for lists,
 * sorting and views), its targets' deadlines with a version that keys their timers, the metric
 * events the reporting context reads (one row per transition, unique), and the tenant-wide
 * recomputations a calendar or policy change starts (a resumable cursor).
 */
export class SlaTimers1765105200000 implements MigrationInterface {
  name = 'SlaTimers1765105200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sla_policies ADD COLUMN warning_minutes int CHECK (warning_minutes BETWEEN 1 AND 525600)`);
    await q.query(`ALTER TABLE tickets ADD COLUMN sla_breach_at timestamptz(3), ADD COLUMN sla_warning_at timestamptz(3),
      ADD COLUMN sla_state text CHECK (sla_state IN ('active', 'paused', 'breached'))`);
    // Keyset sort by the next deadline (nulls last), and the SLA state filters.
    await q.query(`CREATE INDEX tickets_sla_breach ON tickets (tenant_id, sla_breach_at, id) WHERE deleted_at IS NULL`);
    await q.query(`CREATE INDEX tickets_sla_state ON tickets (tenant_id, sla_state, sla_breach_at) WHERE sla_state IS NOT NULL AND deleted_at IS NULL`);

    await q.query(`CREATE TABLE ticket_sla_targets (
      tenant_id uuid NOT NULL,
      ticket_id uuid NOT NULL,
      metric text NOT NULL CHECK (metric IN ('first_reply', 'next_reply', 'periodic_update', 'resolution')),
      policy_id uuid NOT NULL,
      policy_version int NOT NULL,
      target_minutes int NOT NULL,
      state text NOT NULL CHECK (state IN ('active', 'paused', 'fulfilled', 'breached')),
      started_at timestamptz(3) NOT NULL,
      deadline timestamptz(3),
      warning_at timestamptz(3),
      deadline_version int NOT NULL DEFAULT 1,
      warned_deadline timestamptz(3),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, ticket_id, metric),
      FOREIGN KEY (tenant_id, ticket_id) REFERENCES tickets (tenant_id, id) ON DELETE CASCADE
    )`);
    // The timer sweep: running targets by their next instant, across tenants.
    await q.query(`CREATE INDEX ticket_sla_targets_due ON ticket_sla_targets (deadline) WHERE state = 'active'`);
    await q.query(`CREATE INDEX ticket_sla_targets_warning ON ticket_sla_targets (warning_at) WHERE state = 'active' AND warning_at IS NOT NULL`);
    await enableTenantRls(q, 'ticket_sla_targets');

    await q.query(`CREATE TABLE sla_metric_events (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      ticket_id uuid NOT NULL,
      metric text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('activated', 'paused', 'resumed', 'fulfilled', 'breached', 'policy_changed')),
      at timestamptz(3) NOT NULL,
      business_minutes_elapsed numeric(12, 2) NOT NULL,
      policy_id uuid NOT NULL,
      policy_version int NOT NULL,
      time_mode text NOT NULL CHECK (time_mode IN ('business', 'calendar')),
      recorded_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id),
      UNIQUE (tenant_id, ticket_id, metric, kind, at),
      FOREIGN KEY (tenant_id, ticket_id) REFERENCES tickets (tenant_id, id) ON DELETE CASCADE
    )`);
    await q.query(`CREATE INDEX sla_metric_events_at ON sla_metric_events (tenant_id, at, id)`);
    await enableTenantRls(q, 'sla_metric_events', ['SELECT', 'INSERT', 'DELETE']);

    await q.query(`CREATE TABLE sla_recomputes (
      tenant_id uuid NOT NULL PRIMARY KEY,
      generation int NOT NULL DEFAULT 1,
      after_ticket_id uuid,
      reason text NOT NULL,
      requested_at timestamptz NOT NULL DEFAULT now(),
      progressed_at timestamptz NOT NULL DEFAULT now(),
      done int NOT NULL DEFAULT 0
    )`);
    await enableTenantRls(q, 'sla_recomputes');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS sla_recomputes`);
    await q.query(`DROP TABLE IF EXISTS sla_metric_events`);
    await q.query(`DROP TABLE IF EXISTS ticket_sla_targets`);
    await q.query(`DROP INDEX IF EXISTS tickets_sla_state`);
    await q.query(`DROP INDEX IF EXISTS tickets_sla_breach`);
    await q.query(`ALTER TABLE tickets DROP COLUMN IF EXISTS sla_breach_at, DROP COLUMN IF EXISTS sla_warning_at, DROP COLUMN IF EXISTS sla_state`);
    await q.query(`ALTER TABLE sla_policies DROP COLUMN IF EXISTS warning_minutes`);
  }
}
