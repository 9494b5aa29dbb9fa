import { Query } from '@nestjs/cqrs';
import type { Status } from '../../domain/ticket';
import type { StatusView } from '../../repositories/statuses.sql';

export interface StatusCatalog {
  /** The tenant's custom statuses by category, then position. */
  data: StatusView[];
  /** What each category shows for a ticket without a custom status. */
  defaults: { category: Status; label: string }[];
}

export class ListStatusesQuery extends Query<StatusCatalog> {
  constructor(
    readonly tenantId: string,
    readonly statusId?: string,
  ) {
    super();
  }
}
