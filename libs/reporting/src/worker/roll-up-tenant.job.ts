import { QueryBus } from '@nestjs/cqrs';
import { HandlesJob, TenantTransaction, type JobHandler } from '@switchboard/platform';
import { GetTenantQuery } from '@switchboard/tenancy';
import { RollupsRepository } from '../repositories/rollups.repository';
import { RollUpTenant, RollupsUpdated } from '../reporting.context';

/**
 * Recomputes a tenant's marked local days in one transaction: takes the marks committed so far,
 * replaces those days' rows by aggregation, and tells the tenant's consoles which days moved.
 * Idempotent: a second run finds no marks (or recomputes the same rows again). A time-zone change
 * re-marks every day, so all rows are in the zone the reports read them in.
 */
@HandlesJob(RollUpTenant)
export class RollUpTenantJob implements JobHandler<{ tenantId: string }> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly queries: QueryBus,
    private readonly rollups: RollupsRepository,
  ) {}

  async handle({ tenantId }: { tenantId: string }): Promise<void> {
    // Read before the transaction: the tenant's query runs its own (one connection at a time on the embedded database).
    const { timezone } = await this.queries.execute(new GetTenantQuery(tenantId));
    await this.tx.run({ tenantId, actorId: null, correlationId: null, actorType: 'system' }, async (tx) => {
      const computedIn = await this.rollups.lock(tx, timezone);
      if (computedIn !== timezone) {
        await this.rollups.markAll(tx);
        await this.rollups.setTimeZone(tx, timezone);
      }
      const days = await this.rollups.takeDirtyDays(tx, timezone);
      if (days.length === 0) return;
      await this.rollups.recompute(tx, timezone, days);
      await tx.emit(RollupsUpdated.of(tenantId, { days }));
    });
  }
}
