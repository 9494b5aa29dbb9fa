import { Query } from '@nestjs/cqrs';
import type { Page } from '@switchboard/platform';
import type { HistoryEntry } from '../../repositories/tickets.sql';

export class ListHistoryQuery extends Query<Page<HistoryEntry>> {
  constructor(
    readonly tenantId: string,
    readonly ticketId: string,
    readonly page: { limit: number; cursor?: string },
    /** Only entries that changed this field (e.g. `assigneeId` for the assignment history). */
    readonly field?: string,
  ) {
    super();
  }
}
