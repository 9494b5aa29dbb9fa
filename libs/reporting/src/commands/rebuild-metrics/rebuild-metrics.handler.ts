import { CommandHandler, QueryBus, type ICommandHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { GetTenantQuery } from '@switchboard/tenancy';
import { RebuildsRepository } from '../../repositories/rebuilds.repository';
import { toRebuildView, type RebuildView } from '../../repositories/rebuilds.sql';
import { MetricsRebuildRequested } from '../../reporting.context';
import { RebuildMetricsCommand } from './rebuild-metrics.command';

/**
 * Starts (or restarts) the tenant's rebuild and leaves the work to the worker: the requested
 * event carries the generation, each batch's event the next one, so a crash resumes after the
 * last committed batch and a newer request supersedes an older one still running.
 */
@CommandHandler(RebuildMetricsCommand)
export class RebuildMetricsHandler implements ICommandHandler<RebuildMetricsCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly queries: QueryBus,
    private readonly rebuilds: RebuildsRepository,
  ) {}

  async execute({ context }: RebuildMetricsCommand): Promise<RebuildView> {
    await this.queries.execute(new GetTenantQuery(context.tenantId));
    return this.tx.run(context, async (tx) => {
      const row = await this.rebuilds.start(tx);
      await tx.audit({ action: 'reporting.metrics_rebuild_requested', entityType: 'tenant', entityId: context.tenantId, after: { generation: row.generation } });
      await tx.emit(MetricsRebuildRequested.of(context.tenantId, { generation: row.generation }));
      return toRebuildView(row);
    });
  }
}
