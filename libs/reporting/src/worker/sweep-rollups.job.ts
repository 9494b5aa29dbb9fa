import { HandlesJob, QueueRegistry, TenantTransaction, type JobHandler, type Statement } from '@switchboard/platform';
import { metricsSql } from '../repositories/metrics.sql';
import { rollupsSql } from '../repositories/rollups.sql';
import { RollUpTenant, SweepRollups } from '../reporting.context';
import { queueTicketMetricsRecompute } from './recompute-ticket-metrics.job';

/** Tenants per sweep; the rest wait for the next one (every couple of seconds). */
const TENANTS_PER_SWEEP = 500;

/**
 * Every couple of seconds, across tenants: each tenant with marked tickets gets its batched
 * recompute queued (one pending per tenant), and each tenant with marked days one roll-up job
 * (keyed `rollup:<tenant>`, so sweeps while one is pending fold into it). Postgres holds the
 * marks, so a Redis that lost its jobs, or a worker that died between a mark and its recompute,
 * loses nothing.
 */
@HandlesJob(SweepRollups)
export class SweepRollupsJob implements JobHandler<Record<string, never>> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly queues: QueueRegistry,
  ) {}

  async handle(): Promise<void> {
    const tickets = await this.tenants(metricsSql.dirtyTenants(TENANTS_PER_SWEEP));
    for (const tenantId of tickets) await queueTicketMetricsRecompute(this.queues, tenantId, 0);
    const days = await this.tenants(rollupsSql.dirtyTenants(TENANTS_PER_SWEEP));
    const now = new Date();
    for (const tenantId of days) await this.queues.schedule(RollUpTenant, { tenantId }, { key: `rollup:${tenantId}`, runAt: now });
  }

  private async tenants(statement: Statement): Promise<string[]> {
    const rows = await this.tx.runAsSystem(async (manager) => (await manager.query(statement.sql, statement.params as unknown[])) as { tenant_id: string }[]);
    return rows.map((r) => r.tenant_id);
  }
}
