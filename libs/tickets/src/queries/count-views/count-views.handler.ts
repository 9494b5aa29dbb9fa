import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { ProblemException, type TenantTx } from '@switchboard/platform';
import { resolveFieldConditions } from '../../domain/field-filters';
import { resolveViewFilter } from '../../domain/views';
import { TicketsRepository } from '../../repositories/tickets.repository';
import type { TicketConditionFilter } from '../../repositories/tickets.sql';
import { ViewsRepository } from '../../repositories/views.repository';
import type { ViewView } from '../../repositories/views.sql';
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
    private readonly tickets: TicketsRepository,
  ) {}

  execute({ tenantId, userId, configures, viewIds }: CountViewsQuery): Promise<{ data: ViewCountResult[]; broken: { viewId: string; detail: string }[]; countedAt: string }> {
    const now = new Date();
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      const visible = await this.views.visible(tx, await viewerOf(tx, this.views, userId, configures), viewIds);
      // "Assigned to me" read with an API key counts nothing rather than failing every other view.
      const filters = await this.conditions(tx, visible.filter((v) => v.filter.assigneeId !== 'me' || userId), userId, now);
      const countable = [...filters.ok.keys()];
      const counts = await this.views.count(tx, [...filters.ok.values()]);
      const byId = new Map(countable.map((id, i) => [id, counts[i]]));
      const data = viewIds.filter((id) => byId.has(id)).map((id) => ({ viewId: id, ...byId.get(id)! }));
      return { data, broken: filters.broken, countedAt: now.toISOString() };
    });
  }

  /** Each view's conditions now; a view over a custom field that no longer exists is reported as broken rather than failing the poll. */
  private async conditions(tx: TenantTx, views: ViewView[], userId: string | null, now: Date) {
    const rules = views.some((v) => v.filter.field?.length) ? await this.tickets.fieldRules(tx) : [];
    const ok = new Map<string, TicketConditionFilter>();
    const broken: { viewId: string; detail: string }[] = [];
    for (const v of views) {
      try {
        const fields = v.filter.field?.length ? resolveFieldConditions(rules, v.filter.field, 'filter.field') : undefined;
        ok.set(v.id, { ...resolveViewFilter(v.filter, userId, now), ...(fields ? { fields } : {}) });
      } catch (error) {
        if (!(error instanceof ProblemException)) throw error;
        broken.push({ viewId: v.id, detail: error.problem.detail ?? 'the view cannot be counted' });
      }
    }
    return { ok, broken };
  }
}
