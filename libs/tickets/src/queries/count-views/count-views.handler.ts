import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { resolveViewFilter } from '../../domain/views';
import { ViewsRepository } from '../../repositories/views.repository';
import { viewerOf } from '../list-views/viewer';
import { CountViewsQuery, type ViewCountResult } from './count-views.query';

/**
 * Counts for a console's sidebar: the views are read and counted in one transaction, the counts in
 * one statement. An id the caller does not see (another tenant's, someone else's personal view,
 * deleted) is left out of the answer rather than failing the whole poll.
 */
@QueryHandler(CountViewsQuery)
export class CountViewsHandler implements IQueryHandler<CountViewsQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly views: ViewsRepository,
  ) {}

  execute({ tenantId, userId, configures, viewIds }: CountViewsQuery): Promise<{ data: ViewCountResult[]; countedAt: string }> {
    const now = new Date();
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      const visible = await this.views.visible(tx, await viewerOf(tx, this.views, userId, configures), viewIds);
      // "Assigned to me" read with an API key counts nothing rather than failing every other view.
      const countable = visible.filter((v) => v.filter.assigneeId !== 'me' || userId);
      const counts = await this.views.count(tx, countable.map((v) => resolveViewFilter(v.filter, userId, now)));
      const byId = new Map(countable.map((v, i) => [v.id, counts[i]]));
      const data = viewIds.filter((id) => byId.has(id)).map((id) => ({ viewId: id, ...byId.get(id)! }));
      return { data, countedAt: now.toISOString() };
    });
  }
}
