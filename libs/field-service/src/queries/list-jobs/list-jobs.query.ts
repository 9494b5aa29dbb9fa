import { Query } from '@nestjs/cqrs';
import type { Page } from '@switchboard/platform';
import type { JobStatus } from '../../domain/status';
import type { JobListItem } from '../../repositories/jobs.sql';

export class ListJobsQuery extends Query<Page<JobListItem>> {
  constructor(
    readonly tenantId: string,
    readonly page: { limit: number; cursor?: string; status?: JobStatus; contactId?: string; ticketId?: string },
  ) {
    super();
  }
}
