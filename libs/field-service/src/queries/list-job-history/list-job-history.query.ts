import { Query } from '@nestjs/cqrs';
import type { Page } from '@switchboard/platform';
import type { HistoryEntry } from '../../repositories/jobs.sql';

export class ListJobHistoryQuery extends Query<Page<HistoryEntry>> {
  constructor(
    readonly tenantId: string,
    readonly jobId: string,
    readonly page: { limit: number; cursor?: string },
  ) {
    super();
  }
}
