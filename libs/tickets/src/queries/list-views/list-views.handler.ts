import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { ViewsRepository } from '../../repositories/views.repository';
import type { ViewView } from '../../repositories/views.sql';
import { ListViewsQuery } from './list-views.query';
import { viewerOf } from './viewer';

/** A console's sidebar: the caller's personal views, their groups' views and the shared ones, in order. */
@QueryHandler(ListViewsQuery)
export class ListViewsHandler implements IQueryHandler<ListViewsQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly views: ViewsRepository,
  ) {}

  execute({ tenantId, userId, configures, viewId }: ListViewsQuery): Promise<ViewView[]> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      const viewer = await viewerOf(tx, this.views, userId, configures);
      const views = await this.views.visible(tx, viewer, viewId ? [viewId] : undefined);
      if (viewId && views.length === 0) throw notFound('View', viewId);
      return views;
    });
  }
}
