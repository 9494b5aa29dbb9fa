import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { DEFAULT_STATUS_LABELS } from '../../domain/custom-status';
import { STATUSES } from '../../domain/ticket';
import { StatusesRepository } from '../../repositories/statuses.repository';
import { ListStatusesQuery, type StatusCatalog } from './list-statuses.query';

@QueryHandler(ListStatusesQuery)
export class ListStatusesHandler implements IQueryHandler<ListStatusesQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly statuses: StatusesRepository,
  ) {}

  execute({ tenantId, statusId }: ListStatusesQuery): Promise<StatusCatalog> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      const data = statusId ? [await this.statuses.find(tx, statusId)].filter((s) => s !== undefined) : await this.statuses.list(tx);
      if (statusId && data.length === 0) throw notFound('Status', statusId);
      return { data, defaults: STATUSES.map((category) => ({ category, label: DEFAULT_STATUS_LABELS[category] })) };
    });
  }
}
