import { Query } from '@nestjs/cqrs';
import type { Page } from '@switchboard/platform';

export interface HistoryEntry {
  id: string;
  action: string;
  changes: Record<string, { from?: unknown; to?: unknown }>;
  actorType: string;
  actorId: string | null;
  createdAt: string;
}

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
