import { Query } from '@nestjs/cqrs';
import type { Page } from '@switchboard/platform';
import type { JobStatus } from '../../domain/status';
import type { JobView } from '../../repositories/jobs.sql';

export class ListJobsQuery extends Query<Page<JobView>> {
  constructor(
    readonly tenantId: string,
    readonly page: { limit: number; cursor?: string; status?: JobStatus; contactId?: string },
  ) {
    super();
  }
}
