import { HandlesJob, QueueRegistry, TenantTransaction, type JobHandler } from '@switchboard/platform';
import { rollupsSql } from '../repositories/rollups.sql';
import { RollUpTenant, SweepRollups } from '../reporting.context';

/** Tenants per sweep; the rest wait for the next one (every couple of seconds). */
const TENANTS_PER_SWEEP = 500;

/**
 * Every couple of seconds, across tenants: each tenant with marked days gets one roll-up job
 * (keyed `rollup:<tenant>`, so sweeps while one is pending fold into it). Postgres holds the
 * marks, so a Redis that lost its jobs loses no recompute.
 */
@HandlesJob(SweepRollups)
export class SweepRollupsJob implements JobHandler<Record<string, never>> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly queues: QueueRegistry,
  ) {}

  async handle(): Promise<void> {
    const statement = rollupsSql.dirtyTenants(TENANTS_PER_SWEEP);
    const tenants = await this.tx.runAsSystem(async (manager) => (await manager.query(statement.sql, statement.params as unknown[])) as { tenant_id: string }[]);
    const now = new Date();
    for (const { tenant_id: tenantId } of tenants) await this.queues.schedule(RollUpTenant, { tenantId }, { key: `rollup:${tenantId}`, runAt: now });
  }
}
