import { Query } from '@nestjs/cqrs';
import type { Page } from '@switchboard/platform';
import type { TimeEntryView, TimeTotals } from '../../repositories/time.sql';

export type TimeEntryPage = Page<TimeEntryView> & { totals: TimeTotals };

export class ListTimeEntriesQuery extends Query<TimeEntryPage> {
  constructor(
    readonly tenantId: string,
    readonly ticketId: string,
    readonly page: { limit: number; cursor?: string },
  ) {
    super();
  }
}
