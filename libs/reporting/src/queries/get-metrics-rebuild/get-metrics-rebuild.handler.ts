import { QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ProblemException, TenantTransaction } from '@switchboard/platform';
import { GetTenantQuery } from '@switchboard/tenancy';
import { RebuildsRepository } from '../../repositories/rebuilds.repository';
import { toRebuildView, type RebuildView } from '../../repositories/rebuilds.sql';
import { GetMetricsRebuildQuery } from './get-metrics-rebuild.query';

@QueryHandler(GetMetricsRebuildQuery)
export class GetMetricsRebuildHandler implements IQueryHandler<GetMetricsRebuildQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly queries: QueryBus,
    private readonly rebuilds: RebuildsRepository,
  ) {}

  async execute({ tenantId }: GetMetricsRebuildQuery): Promise<RebuildView> {
    await this.queries.execute(new GetTenantQuery(tenantId));
    const row = await this.tx.run({ tenantId, actorId: null, correlationId: null }, (tx) => this.rebuilds.find(tx));
    if (!row) throw new ProblemException({ status: 404, type: 'not-found', title: 'Not Found', detail: `No metrics rebuild was requested for tenant ${tenantId}; POST to this address starts one.` });
    return toRebuildView(row);
  }
}
